"""A measure as the number rules see it (``calc.MeasureSpec``): the one adapter from the
model to ``scorecards.calc``, used by the measure services, the stored state and the pages."""

from __future__ import annotations

from scorecards import calc
from scorecards.models import Measure, StrategicPlan
from strategyhub import fiscal
from strategyhub.models import fiscal_label_style


def measure_spec(
    measure: Measure,
    plan: StrategicPlan,
    fiscal_start_month: int,
    yearly_floors: dict[int, calc.Band] | None = None,
) -> calc.MeasureSpec:
    """The calc view of a measure; reads ``measure.targets`` unless ``yearly_floors`` is
    given (lists pass them, read in bulk)."""
    if yearly_floors is None:
        yearly_floors = {t.fiscal_year: t.band for t in measure.targets.all()}
    return calc.MeasureSpec(
        polarity=calc.Polarity(measure.polarity),
        baseline_value=measure.baseline_value,
        baseline_date=measure.baseline_date,
        target_date=plan.end_date(fiscal_start_month),
        target=measure.target_band,
        tolerance=measure.tolerance,
        frequency=fiscal.Frequency(measure.update_frequency),
        fiscal_start_month=fiscal_start_month,
        fiscal_label_style=fiscal_label_style(measure),
        yearly_floors=yearly_floors,
    )
