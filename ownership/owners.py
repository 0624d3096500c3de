"""Who owns what, as writes: the four kinds of owned item, the "active owner" check on a
new owner, reassigning one item and handing everything of one person to another; and the
agency's ownership settings row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext

from okrs.models import KeyResult, OkrObjective
from ownership.models import OwnershipSettings
from scorecards.models import Measure, StrategicObjective
from strategyhub.models import Membership, Organization, User
from strategyhub.roles import Role

# An owned item: each of these has an ``owner`` (a ``User``, optional).
OwnedModel = StrategicObjective | Measure | OkrObjective | KeyResult

# The kinds of owned item, by the name used in URLs and alerts.
MODELS: dict[str, type[OwnedModel]] = {
    "strategic_objective": StrategicObjective,
    "measure": Measure,
    "okr_objective": OkrObjective,
    "key_result": KeyResult,
}


def settings_for(organization: Organization) -> OwnershipSettings:
    row, _ = OwnershipSettings.objects.get_or_create(organization=organization)
    return row


def active_owners(organization: Organization) -> tuple[set[int], int]:
    """The people who count as an item's active owner, and how many of them may be named
    owner (``strategyhub.forms.member_choices``: not service accounts), in one query: the
    ownership page needs both (the item states, and whether to offer inline pickers).

    Active owners are active members who can update what they own. A viewer cannot update
    anything, so an item a viewer owns (named before the rule, or whose owner was demoted)
    counts as "owner inactive" and is raised like one, the alert saying the owner cannot
    update it (``viewer_member_ids``)."""
    rows = list(
        Membership.objects.active()
        .filter(organization=organization)
        .exclude(role=Role.VIEWER)
        .values_list("user_id", "user__is_service_account")
    )
    return {user_id for user_id, _ in rows}, sum(1 for _, service in rows if not service)


def viewer_member_ids(organization: Organization) -> set[int]:
    """Active members with the viewer role (read-only): they cannot own items."""
    return set(
        Membership.objects.active().filter(role=Role.VIEWER).values_list("user_id", flat=True)
    )


class OwnershipRefused(ValidationError):
    pass


def _check_new_owner(user_id: int) -> User:
    membership = Membership.objects.filter(user_id=user_id).select_related("user").first()
    if membership is None:
        raise OwnershipRefused(gettext("Choose a member of this agency."))
    if not membership.is_active or not membership.user.is_active:
        raise OwnershipRefused(
            gettext("%(display_name)s is deactivated; choose an active member.")
            % {"display_name": membership.user.display_name}
        )
    if membership.role == Role.VIEWER:
        raise OwnershipRefused(
            gettext(
                "%(display_name)s is a viewer and could not update it; choose a "
                "contributor, editor or admin (or give them another role first)."
            )
            % {"display_name": membership.user.display_name}
        )
    return membership.user


@transaction.atomic
def assign_owner(item_type: str, item_id: int, user_id: int) -> models.Model:
    model = MODELS.get(item_type)
    if model is None:
        raise OwnershipRefused(gettext("Unknown kind of item."))
    item = model.objects.select_for_update().get(pk=item_id)
    item.owner = _check_new_owner(user_id)
    item.save()
    return item


@transaction.atomic
def transfer_ownership(from_user_id: int, to_user_id: int) -> dict[str, int]:
    """Everything ``from_user`` owns in this agency goes to ``to_user`` (e.g. when staff
    leave). Saved row by row so each change is in the item's history."""
    if from_user_id == to_user_id:
        raise OwnershipRefused(gettext("Choose two different people."))
    new_owner = _check_new_owner(to_user_id)
    moved = {}
    for item_type, model in MODELS.items():
        rows: list[OwnedModel] = list(
            model.objects.select_for_update().filter(owner_id=from_user_id)
        )
        for row in rows:
            row.owner = new_owner
            row.save()
        moved[item_type] = len(rows)
    return moved
