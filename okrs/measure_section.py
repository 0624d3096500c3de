"""The key results that feed a measure, worst first, on the measure's page: a red measure
shows what drags it down."""

from __future__ import annotations

from django.db.models import Prefetch
from django.template.loader import render_to_string

from okrs import calc
from okrs.models import CheckIn, KeyResult
from okrs.services import kr_state


def feeding_key_results_section(request, measure):
    key_results = list(
        KeyResult.objects.filter(measure=measure, archived_at=None)
        .select_related("objective", "objective__cycle", "owner")
        .prefetch_related(
            Prefetch("checkins", queryset=CheckIn.objects.order_by("as_of", "updated_at"))
        )
    )
    if not key_results and not measure.is_calculated:
        return None
    today = request.organization.today()
    states = [
        kr_state(kr, [c.reading() for c in kr.checkins.all()], kr.objective.cycle, today)
        for kr in key_results
    ]
    severity = [
        calc.Status.OFF_TRACK,
        calc.Status.AT_RISK,
        calc.Status.NO_DATA,
        calc.Status.ON_TRACK,
    ]
    states.sort(key=lambda s: (severity.index(s.status), s.score))
    return render_to_string(
        "okrs/_measure_feeds.html", {"states": states, "measure": measure}, request=request
    )
