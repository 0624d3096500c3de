"""Extension points, so that apps built on the scorecard (okrs) can add to its pages
without the scorecard knowing them (dependencies point one way: okrs → scorecards)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

# Each callable takes (request, measure) and returns HTML for the measure page, or None.
measure_page_sections: list[Callable[..., SafeString | None]] = []
