"""What the API records about writes made elsewhere:

- History rows of writes made through the API name the token (``history_change_reason``)
  as well as its person (``history_user``, the request's user).
- A deleted plan, perspective, theme, objective, measure, measure value, cycle, OKR
  objective, key result, check-in or unit leaves a ``Tombstone``, so an incremental feed
  (``updated_since``) learns it is gone. A queryset delete sends ``post_delete`` per row too
  (Django skips its fast path when receivers exist).
- Archiving an objective, a measure, an OKR objective or a key result (the services save
  ``archived_at`` alone) leaves an ``archived`` tombstone; restoring it removes that
  tombstone again (the restored row's ``updated_at`` has moved, so the feed reads it back).
- A person whose membership or account is deactivated leaves an ``owner`` tombstone (by
  person id, as ``/owners`` lists them), removed on reactivation; a change to their name
  or email moves their memberships' ``updated_at``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints
from simple_history.models import HistoricalRecords  # type: ignore[import-untyped]
from simple_history.signals import (  # type: ignore[import-untyped]
    pre_create_historical_record,
)

from api.models import Tombstone, TombstoneKind, TombstoneReason
from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from scorecards.models import (
    Measure,
    MeasureValue,
    Perspective,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from strategyhub.models import Membership, Organization, Unit, User


@receiver(pre_create_historical_record)
def _name_the_token(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    caller = getattr(request, "api_caller", None)
    if caller is not None and not getattr(history_instance, "history_change_reason", None):
        history_instance.history_change_reason = f"API token “{caller.token.name}”"[:100]


KINDS: dict[type[Any], str] = {
    MeasureValue: TombstoneKind.MEASURE_VALUE,
    CheckIn: TombstoneKind.CHECK_IN,
    Measure: TombstoneKind.MEASURE,
    KeyResult: TombstoneKind.KEY_RESULT,
    OkrObjective: TombstoneKind.OKR_OBJECTIVE,
    StrategicObjective: TombstoneKind.STRATEGIC_OBJECTIVE,
    StrategicPlan: TombstoneKind.PLAN,
    Perspective: TombstoneKind.PERSPECTIVE,
    Theme: TombstoneKind.THEME,
    Cycle: TombstoneKind.CYCLE,
    Unit: TombstoneKind.UNIT,
}

# The models with ``archived_at`` (archive and restore services save it alone).
ARCHIVABLE = (Measure, StrategicObjective, KeyResult, OkrObjective)


def _tombstone(sender: Any, instance: Any, **kwargs: Any) -> None:
    origin = kwargs.get("origin")
    started_from = origin.model if isinstance(origin, QuerySet) else type(origin)
    if started_from is Organization:  # the whole agency goes: nobody is left to tell
        return
    row = {"organization_id": instance.organization_id, "kind": KINDS[sender]}
    with scopes_disabled():  # tasks and commands delete outside a scope too
        # Deleted after archiving: one tombstone, the deletion.
        Tombstone.objects.filter(**row, object_id=instance.pk).delete()
        Tombstone.objects.create(**row, object_id=instance.pk)


for _model in KINDS:
    post_delete.connect(_tombstone, sender=_model, dispatch_uid=f"api.tombstone.{_model.__name__}")


def _mark(organization_id: int, kind: str, object_id: int, reason: str, gone: bool) -> None:
    """Leave (``gone``) or take back the ``reason`` tombstone of one row."""
    row = {"organization_id": organization_id, "kind": kind, "object_id": object_id}
    with scopes_disabled():
        existing = Tombstone.objects.filter(**row, reason=reason)
        if not gone:
            existing.delete()
        elif not existing.exists():
            Tombstone.objects.create(**row, reason=reason)


def _archived(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or kwargs.get("created") or not update_fields or "archived_at" not in update_fields:
        return
    _mark(
        instance.organization_id,
        KINDS[sender],
        instance.pk,
        TombstoneReason.ARCHIVED,
        gone=instance.archived_at is not None,
    )


for _model in ARCHIVABLE:
    post_save.connect(_archived, sender=_model, dispatch_uid=f"api.archived.{_model.__name__}")


@receiver(post_save, sender=Membership, dispatch_uid="api.owner-membership")
def _membership_saved(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or kwargs.get("created") or (update_fields and "is_active" not in update_fields):
        return
    _mark(
        instance.organization_id,
        TombstoneKind.OWNER,
        instance.user_id,
        TombstoneReason.DEACTIVATED,
        gone=not instance.is_active,
    )


# A change to these moves what ``/owners`` shows (or whether it shows the person).
_OWNER_FIELDS = {"full_name", "email", "is_active"}


@receiver(post_save, sender=User, dispatch_uid="api.owner-user")
def _user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or kwargs.get("created") or (update_fields and not _OWNER_FIELDS & set(update_fields)):
        return
    with scopes_disabled():  # a person's memberships in every agency
        memberships = Membership.objects.filter(user=instance)
        memberships.update(updated_at=timezone.now())
        for organization_id, active in memberships.values_list("organization_id", "is_active"):
            _mark(
                organization_id,
                TombstoneKind.OWNER,
                instance.pk,
                TombstoneReason.DEACTIVATED,
                gone=not (instance.is_active and active),
            )
