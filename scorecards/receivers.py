"""How the strategic layer answers the core's signals (connected in ``ScorecardsConfig.ready``)."""

from __future__ import annotations

from django.dispatch import receiver

from scorecards.models import StrategicPlan
from strategyhub import signals


@receiver(signals.fiscal_calendar_in_use, dispatch_uid="scorecards-calendar-in-use")
def plan_uses_calendar(sender, organization, **kwargs) -> bool:
    """A strategic plan lays fiscal years, yearly targets and periods out on the calendar."""
    return StrategicPlan.objects.filter(organization=organization).exists()
