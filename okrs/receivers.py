"""How the execution layer answers the core's and the scorecard's signals (connected in
``OkrsConfig.ready``): it adds the feeding key results to a measure's page, recomputes a
calculated measure whose roll-up settings changed, and rebuilds its empty quarters when an
agency's fiscal year moves."""

from __future__ import annotations

from django.dispatch import receiver

from okrs.cycles import rebuild_cycles
from okrs.measure_section import feeding_key_results_section
from okrs.models import OkrObjective
from okrs.rollup import recompute_measure
from scorecards import signals as scorecard_signals
from scorecards.models import Measure
from strategyhub import signals


@receiver(scorecard_signals.measure_page_sections, sender=Measure, dispatch_uid="okrs-feeds")
def measure_feeds_section(sender, request, measure, **kwargs):
    return feeding_key_results_section(request, measure)


@receiver(scorecard_signals.measure_rollup_changed, sender=Measure, dispatch_uid="okrs-rollup")
def measure_rollup_changed(sender, measure, **kwargs) -> None:
    recompute_measure(measure)


@receiver(signals.fiscal_year_moved, dispatch_uid="okrs-fiscal-year-moved")
def fiscal_year_moved(sender, organization, **kwargs) -> None:
    rebuild_cycles(organization)


@receiver(signals.fiscal_calendar_in_use, dispatch_uid="okrs-calendar-in-use")
def objectives_use_calendar(sender, organization, **kwargs) -> bool:
    """An OKR objective sits in a quarter of the agency's fiscal year."""
    return OkrObjective.objects.filter(organization=organization).exists()


@receiver(signals.overview_sections, dispatch_uid="okrs-overview")
def overview_section(sender, request, today, **kwargs):
    from okrs.home import overview_section as section

    return section(request, today)
