"""The key results that feed a measure, worst first, on the measure's page: a red measure
shows what drags it down."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from okrs.queries import feeding_states
from scorecards.models import Measure


def feeding_key_results_section(request: HttpRequest, measure: Measure) -> str | None:
    """The section's HTML, or None for a measure typed in that no result feeds."""
    states = feeding_states(measure, request.organization.today())
    if not states and not measure.is_calculated:
        return None
    return render_to_string(
        "okrs/_measure_feeds.html", {"states": states, "measure": measure}, request=request
    )
