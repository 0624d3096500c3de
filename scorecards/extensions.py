"""Extension points, so that apps built on the scorecard (okrs) can add to its pages
without the scorecard knowing them (dependencies point one way: okrs → scorecards)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

# Each callable takes (request, measure) and returns HTML for the measure page, or None.
measure_page_sections: list[Callable[..., SafeString | None]] = []

# Each callable takes (measure,) after an edit changed how its calculated values are made
# (value source, roll-up method, frequency or unit kind) and brings them up to date.
measure_rollup_changed: list[Callable[..., None]] = []

# The fields of a measure those callables depend on.
ROLLUP_FIELDS = ("value_source", "rollup_method", "update_frequency", "unit_kind")


def rollup_settings(measure) -> tuple:
    return tuple(getattr(measure, name) for name in ROLLUP_FIELDS)
