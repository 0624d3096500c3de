"""What the API records about writes made elsewhere:

- History rows of writes made through the API name the token (``history_change_reason``)
  as well as its person (``history_user``, the request's user).
- A deleted measure value, check-in, measure, key result or objective leaves a
  ``Tombstone``, so an incremental feed (``updated_since``) learns it is gone. A queryset
  delete sends ``post_delete`` per row too (Django skips its fast path when receivers exist).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from api.models import Tombstone, TombstoneKind
from okrs.models import CheckIn, KeyResult, OkrObjective
from scorecards.models import Measure, MeasureValue, StrategicObjective
from strategyhub.models import Organization


@receiver(pre_create_historical_record)
def _name_the_token(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    caller = getattr(request, "api_caller", None)
    if caller is not None and not getattr(history_instance, "history_change_reason", None):
        history_instance.history_change_reason = f"API token “{caller.token.name}”"[:100]


KINDS = {
    MeasureValue: TombstoneKind.MEASURE_VALUE,
    CheckIn: TombstoneKind.CHECK_IN,
    Measure: TombstoneKind.MEASURE,
    KeyResult: TombstoneKind.KEY_RESULT,
    OkrObjective: TombstoneKind.OKR_OBJECTIVE,
    StrategicObjective: TombstoneKind.STRATEGIC_OBJECTIVE,
}


def _tombstone(sender: Any, instance: Any, **kwargs: Any) -> None:
    origin = kwargs.get("origin")
    started_from = origin.model if isinstance(origin, QuerySet) else type(origin)
    if started_from is Organization:  # the whole agency goes: nobody is left to tell
        return
    Tombstone.objects.create(
        organization_id=instance.organization_id, kind=KINDS[sender], object_id=instance.pk
    )


for _model in KINDS:
    post_delete.connect(_tombstone, sender=_model, dispatch_uid=f"api.tombstone.{_model.__name__}")
