"""Who may do what to the execution layer's items (object-level, on top of the role's
actions): check in on a key result, edit an objective and its results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from okrs.cards import CARD_RELATED
from okrs.models import KeyResult, OkrObjective
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, MemberPermissions


def can_check_in(perms: MemberPermissions, kr: KeyResult) -> bool:
    """Editors and admins; the result's owner unless a viewer; contributors granted its unit
    (the grant is looked up only when the other rules do not already decide)."""
    if perms.can(Action.EDIT_ALL_OKRS):
        return True
    if not perms.can(Action.CHECK_IN_OWN):
        return False
    if kr.owner_id == perms.membership.user_id:
        return True
    unit_id = kr.objective.unit_id
    return unit_id is not None and unit_id in perms.editable_among({unit_id})


def can_edit_objective(perms: MemberPermissions, objective: OkrObjective | None) -> bool:
    """Editors and admins edit every OKR; a contributor edits the objectives they own and
    those of units they were granted."""
    if perms.can(Action.EDIT_ALL_OKRS):
        return True
    if not perms.can(Action.CHECK_IN_OWN) or objective is None:
        return False
    return objective.owner_id == perms.membership.user_id or perms.can_edit_unit(objective.unit_id)


def key_result_for_checkin(request: OrganizationRequest, key_result_id: int) -> KeyResult:
    """The agency's key result the member checks in on (with ``CARD_RELATED``): 404 when it
    is not this agency's, 403 when the member may not check in on it."""
    kr: KeyResult = get_object_or_404(
        KeyResult.objects.select_related(*CARD_RELATED), pk=key_result_id
    )
    kr.organization = request.organization  # the scope guarantees it is this agency's
    if not can_check_in(request.perms, kr):
        raise PermissionDenied
    return kr
