"""The agency's ownership settings (check-in cadence, reminder time, the unowned digest)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ownership.forms import OwnershipSettingsForm
from ownership.owners import settings_for
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    form = OwnershipSettingsForm(request.POST or None, instance=settings_for(request.organization))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("The ownership settings were saved."))
        return redirect("ownership:settings", org_slug)
    return render(
        request, "ownership/settings.html", {"form": form}, status=400 if form.errors else 200
    )
