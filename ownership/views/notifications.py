"""The member's notifications: the list and marking one or all of them read."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ownership import notifications as actions
from ownership.models import Alert
from ownership.queries import member_alerts
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


@require(Action.VIEW)
def notifications(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    return render(request, "ownership/notifications.html", {"alerts": member_alerts(request.user)})


@require(Action.VIEW)
@require_POST
def mark_read(
    request: OrganizationRequest, org_slug: str, alert_id: int | None = None
) -> HttpResponse:
    if alert_id is not None:  # another agency's alert, or another person's: not found
        get_object_or_404(Alert, pk=alert_id, recipient=request.user)
    actions.mark_read(request.user, alert_id)
    return redirect("ownership:notifications", org_slug)
