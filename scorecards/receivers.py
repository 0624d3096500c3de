"""How the strategic layer answers the core's signals (connected in ``ScorecardsConfig.ready``)."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from scorecards import state
from scorecards.models import Measure, MeasureTarget, MeasureValue, StrategicPlan
from strategyhub import signals
from strategyhub.stamping import STAMP_FIELDS

logger = logging.getLogger(__name__)


@receiver(signals.fiscal_calendar_in_use, dispatch_uid="scorecards-calendar-in-use")
def plan_uses_calendar(sender, organization, **kwargs) -> bool:
    """A strategic plan lays fiscal years, yearly targets and periods out on the calendar."""
    return StrategicPlan.objects.filter(organization=organization).exists()


# --- Each measure's stored state (``scorecards.state``) -------------------------------------


@receiver(post_save, sender=MeasureValue, dispatch_uid="scorecards-state-value-saved")
@receiver(post_delete, sender=MeasureValue, dispatch_uid="scorecards-state-value-deleted")
@receiver(post_save, sender=MeasureTarget, dispatch_uid="scorecards-state-target-saved")
@receiver(post_delete, sender=MeasureTarget, dispatch_uid="scorecards-state-target-deleted")
def value_or_target_written(sender, instance, raw=False, origin=None, **kwargs) -> None:
    if raw:  # loaddata: the rows may not all exist yet (recompute_rollups fills states)
        return
    # A delete that cascades from the measure (or its agency) must not write a state row
    # for the measure being deleted: only deletes of values and targets themselves count.
    if origin is not None and getattr(origin, "model", type(origin)) not in (
        MeasureValue,
        MeasureTarget,
    ):
        return
    state.touched(instance.measure_id)


@receiver(post_delete, sender=MeasureTarget, dispatch_uid="scorecards-target-deleted-stamp")
def target_deleted(sender, instance, origin=None, **kwargs) -> None:
    """A yearly target removed changes the measure the API shows (its ``yearly_targets``)
    even when its stored state stays: the measure's ``updated_at`` moves (docs/api.md)."""
    if origin is not None and getattr(origin, "model", type(origin)) is not MeasureTarget:
        return
    Measure._base_manager.filter(pk=instance.measure_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Measure, dispatch_uid="scorecards-state-measure-saved")
def measure_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # Archiving and reordering change nothing the state is made of (nor does the stamp).
    if not raw and not (
        update_fields and set(update_fields) <= {"archived_at", "order", *STAMP_FIELDS}
    ):
        state.touched(instance.pk)


@receiver(pre_save, sender=StrategicPlan, dispatch_uid="scorecards-state-plan-saving")
def plan_saving(sender, instance, raw=False, **kwargs) -> None:
    """Note the plan's stored years, for ``plan_saved`` to tell whether they move."""
    if not raw and instance.pk is not None:
        instance._years_before = (
            StrategicPlan.objects.filter(pk=instance.pk)
            .values_list("first_fiscal_year", "last_fiscal_year")
            .first()
        )


@receiver(post_save, sender=StrategicPlan, dispatch_uid="scorecards-state-plan-saved")
def plan_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A plan's years place every measure's five-year target and straight path: when they
    move, its measures are judged again (a title or status edit reads nothing more)."""
    years = (instance.first_fiscal_year, instance.last_fiscal_year)
    if not raw and not created and getattr(instance, "_years_before", years) != years:
        state.refresh_all(Measure.objects.filter(objective__plan=instance))


@receiver(post_migrate, dispatch_uid="scorecards-state-fill")
def fill_states(sender, app_config=None, **kwargs) -> None:
    """After ``migrate``: the measures without a stored state get one (``state.fill_missing``).
    A database left at an older migration (``migrate scorecards 0008``) has no table yet,
    or older columns: then nothing is filled and ``recompute_rollups`` does it later."""
    if app_config is None or app_config.label != "scorecards":
        return
    try:
        filled = state.fill_missing()
    except DatabaseError as error:
        logger.warning("Measure states not filled after migrate (%s): run recompute_rollups", error)
        return
    if filled:
        logger.info("Stored the state of %d measure(s)", filled)


@receiver(signals.fiscal_year_moved, dispatch_uid="scorecards-state-fiscal-year-moved")
def fiscal_year_moved(sender, organization, **kwargs) -> None:
    state.refresh_all(Measure.objects.filter(organization=organization))


@receiver(signals.overview_sections, dispatch_uid="scorecards-overview")
def overview_section(sender, request, today, **kwargs):
    from scorecards.home import overview_section as section

    return section(request, today)
