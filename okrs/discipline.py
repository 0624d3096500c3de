"""The OKR discipline the product warns about, never forbids (DESIGN.md §1): a few
objectives per unit, three to five results per objective, each tied to the strategy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from okrs.models import OkrObjective

MAX_OBJECTIVES_PER_UNIT = 5
KEY_RESULTS_RANGE = (3, 5)


class Result(NamedTuple):
    """What the rules read of a live key result."""

    kind: str
    title: str
    measure_id: int | None
    is_counterweight: bool


def discipline_warnings(objectives: Iterable[OkrObjective]) -> list[str]:
    """The warnings for a cycle's (or one) objectives; they carry their key results
    (prefetched) and their unit."""
    return warnings_of(
        (
            objective.title,
            objective.unit.name if objective.unit is not None else "",
            objective.strategic_objective_id,
            [
                Result(kr.kind, kr.title, kr.measure_id, kr.is_counterweight)
                for kr in objective.key_results.all()
                if kr.archived_at is None
            ],
        )
        for objective in objectives
    )


def warnings_of(objectives: Iterable[tuple[str, str, Any, list[Result]]]) -> list[str]:
    """The rules, over (title, unit name, strategic objective id, live results) per
    objective: the pages that read objectives as rows call this directly."""
    warnings: list[str] = []
    per_unit: dict[str, int] = defaultdict(int)
    low, high = KEY_RESULTS_RANGE
    for title, unit_name, strategic_objective_id, live in objectives:
        per_unit[unit_name or "no unit"] += 1
        if len(live) < low or len(live) > high:
            warnings.append(
                f"“{title}” has {len(live)} key result{'s' if len(live) != 1 else ''}; "
                f"{low} to {high} keep an objective focused."
            )
        if not strategic_objective_id:
            warnings.append(f"“{title}” is not linked to a strategic objective.")
        for result in live:
            if (
                not result.measure_id
                and not result.is_counterweight
                and result.kind in ("metric", "hold")
            ):
                warnings.append(f"“{result.title}” feeds no scorecard measure.")
    for unit, count in sorted(per_unit.items()):
        if count > MAX_OBJECTIVES_PER_UNIT:
            warnings.append(
                f"{unit} has {count} objectives this cycle; more than "
                f"{MAX_OBJECTIVES_PER_UNIT} spreads attention thin."
            )
    return warnings
