"""What the scorecard warns about (too many measures, objectives nobody measures, measures
without owner or target): the product warns, it does not forbid (DESIGN.md §1)."""

from __future__ import annotations

from collections.abc import Sequence

from scorecards.models import Measure, StrategicObjective

MEASURE_WARNING_LIMIT = 25


def discipline_warnings(
    objectives: Sequence[StrategicObjective],
    measures: Sequence[Measure],
    with_yearly_targets: set[int],
) -> list[str]:
    """The warnings of a plan's overview, from its live objectives and measures (and the ids
    of the measures that have yearly targets)."""
    warnings = []
    if len(measures) > MEASURE_WARNING_LIMIT:
        warnings.append(
            f"The scorecard has {len(measures)} measures; 20–25 is the recommended most. "
            "A scorecard of 100 numbers steers nothing."
        )
    with_measures = {m.objective_id for m in measures}
    for objective in objectives:
        if objective.pk not in with_measures:
            warnings.append(f"“{objective.title}” has no measure: how will you know it moves?")
    for measure in measures:
        if measure.owner_id is None:
            warnings.append(f"“{measure.name}” has no owner.")
        if measure.pk not in with_yearly_targets and (
            measure.target_value is None and measure.range_low is None
        ):
            warnings.append(f"“{measure.name}” has no target.")
    return warnings
