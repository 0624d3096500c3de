"""What several scorecard views share: the URL of a plan, the item-level edit check (the
edit page of a form is ``strategyhub.ui.pages.form_page``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from scorecards.models import PlanStatus, StrategicPlan
from scorecards.permissions import can_edit_item
from strategyhub.http import OrganizationRequest


def plan_url(request: OrganizationRequest, plan: StrategicPlan) -> str:
    if plan.status == PlanStatus.ACTIVE:
        return reverse("scorecards:plan", args=[request.organization.slug])
    return reverse("scorecards:plan_detail", args=[request.organization.slug, plan.pk])


def check_item(
    request: OrganizationRequest, unit_id: int | None, owner_id: int | None = None
) -> None:
    """PermissionDenied unless the person may edit an objective or measure of ``unit_id``
    owned by ``owner_id`` (``scorecards.permissions.can_edit_item``)."""
    editable = request.perms.editable_among({unit_id} if unit_id else set())
    if not can_edit_item(request.perms, unit_id, editable, owner_id):
        raise PermissionDenied
