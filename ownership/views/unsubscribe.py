"""One-click unsubscribe from one kind of email: a signed link, no login needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ownership import notifications as actions
from ownership.emails import read_unsubscribe_token
from ownership.models import AlertKind
from strategyhub.models import Organization


# RFC 8058 one-click unsubscribe: the mail client POSTs ``List-Unsubscribe=One-Click`` to
# the List-Unsubscribe address with no cookie and no CSRF token. The signed token in the
# URL (agency, person, kind; see ownership.emails) is the proof, so this one view is exempt
# from CSRF; its GET only shows the confirmation button and changes nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    data = read_unsubscribe_token(token)
    if data is None:
        return render(request, "ownership/unsubscribe.html", {"invalid": True}, status=400)
    organization = get_object_or_404(Organization, pk=data["o"])
    kind = AlertKind(data["k"])
    done = False
    if request.method == "POST":
        actions.unsubscribe(organization, data["u"], kind)
        done = True
    return render(
        request,
        "ownership/unsubscribe.html",
        {"kind": kind.label, "organization_name": organization.name, "done": done},
    )
