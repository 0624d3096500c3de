"""The member's notification preferences: how each kind of alert reaches them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ownership import notifications as actions
from ownership.forms import PreferencesForm
from ownership.queries import current_preferences
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def preferences(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=current_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        actions.save_preferences(request.organization, request.user, form.cleaned_data)
        messages.success(request, gettext("Your notification preferences were saved."))
        return redirect("ownership:preferences", org_slug)
    return render(request, "ownership/preferences.html", {"form": form})
