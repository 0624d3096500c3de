"""Who may enter values into a measure (on top of the role rights of strategyhub)."""

from __future__ import annotations

from scorecards.models import Measure
from strategyhub.permissions import Action, MemberPermissions


def can_enter_values(perms: MemberPermissions, measure: Measure, editable_units: set[int]) -> bool:
    """Editors and admins; the measure's owner unless a viewer; a contributor granted its unit."""
    if perms.can(Action.EDIT_PLAN):
        return True
    if not perms.can(Action.CHECK_IN_OWN):
        return False
    if measure.owner_id == perms.membership.user_id:
        return True
    return measure.org_unit_id is not None and measure.org_unit_id in editable_units


def can_edit_item(
    perms: MemberPermissions,
    unit_id: int | None,
    editable_units: set[int],
    owner_id: int | None = None,
) -> bool:
    """Editors and admins edit the whole plan; a contributor edits the objectives and
    measures they own (``owner_id``, the same rule as entering a measure's values) and
    those of units they were granted (guardian ``edit_unit_items``); a viewer edits none."""
    if perms.can(Action.EDIT_PLAN):
        return True
    if not perms.can(Action.CHECK_IN_OWN):
        return False
    if owner_id is not None and owner_id == perms.membership.user_id:
        return True
    return unit_id is not None and unit_id in editable_units
