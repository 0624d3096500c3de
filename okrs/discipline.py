"""The OKR discipline the product warns about, never forbids (DESIGN.md §1): a few
objectives per unit, three to five results per objective, each tied to the strategy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from okrs.models import OkrObjective

MAX_OBJECTIVES_PER_UNIT = 5
KEY_RESULTS_RANGE = (3, 5)


def discipline_warnings(objectives: Iterable[OkrObjective]) -> list[str]:
    """The warnings for a cycle's (or one) objectives; they carry their key results
    (prefetched) and their unit."""
    warnings: list[str] = []
    per_unit: dict[str, int] = defaultdict(int)
    for objective in objectives:
        per_unit[objective.unit.name if objective.unit is not None else "no unit"] += 1
        live = [kr for kr in objective.key_results.all() if kr.archived_at is None]
        low, high = KEY_RESULTS_RANGE
        if len(live) < low or len(live) > high:
            warnings.append(
                f"“{objective.title}” has {len(live)} key result{'s' if len(live) != 1 else ''}; "
                f"{low} to {high} keep an objective focused."
            )
        if not objective.strategic_objective_id:
            warnings.append(f"“{objective.title}” is not linked to a strategic objective.")
        for kr in live:
            if not kr.measure_id and not kr.is_counterweight and kr.kind in ("metric", "hold"):
                warnings.append(f"“{kr.title}” feeds no scorecard measure.")
    for unit, count in sorted(per_unit.items()):
        if count > MAX_OBJECTIVES_PER_UNIT:
            warnings.append(
                f"{unit} has {count} objectives this cycle; more than "
                f"{MAX_OBJECTIVES_PER_UNIT} spreads attention thin."
            )
    return warnings
