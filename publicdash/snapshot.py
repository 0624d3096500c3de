"""Building the publication document (schema "strategyhub.publication/1").

The document is the whole public face of the agency at one moment: later edits never reach
the public until the next publication. It holds only public parts: the active plan's
mission, vision, values, themes, perspectives and objectives, the *public* measures with
their series, targets and statuses, and — when chosen — the running quarter's OKR scores.
No draft plan, no internal measure, no owner or email, nothing of another agency.

Numbers are strings (exact decimals) next to a display text rounded once, here.

Units (issue 16; still schema 1, since keys were only added and the others keep their type
and sense, a unit in words and a unit symbol): a measure carries
``unit_code``, its code in ``strategyhub.units`` ("minutes", "percent_change", "rate", …;
``rate_per`` beside it for a rate), ``unit``, the unit in words ("Minutes", "Rate per
100,000") and ``unit_label``, its symbol ("min", "%", "$", "per 100,000"; "" for counts and
numbers). Documents published before the vocabulary have no ``unit_code``: their ``unit`` is
the old kind ("Duration") and ``unit_label`` the free-text label ("min"), possibly "".
Readers take both shapes: ``unit_code`` and ``rate_per`` with ``.get``, and the unit text
from ``unit_text``.

Period labels (still schema 1): a series point's and the latest value's ``label`` names its
period as the staff pages do (``strategyhub.fiscal.period_label`` in the agency's label
style: "March 2027", "Q1 FY 2026–27", "FY 2026–27"). Documents published before name every
period by its month ("July 2026"), and readers take a point without ``label`` too, naming it
by the month of its ``period`` (``point_label``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from okrs import calc as okr_calc
from okrs.keyresults import objective_score_of, score_of_record
from okrs.models import CycleKind, OkrObjective
from scorecards import calc as scorecard_calc
from scorecards.models import Measure, MeasureValue, StrategicObjective, Visibility
from scorecards.queries import active_plan
from scorecards.specs import measure_spec
from strategyhub import fiscal, units
from strategyhub.models import Organization
from strategyhub.status import Status
from strategyhub.ui import dates
from strategyhub.ui.formatting import format_percent_share, format_score

SCHEMA = "strategyhub.publication/1"


def unit_entries(measure: Measure) -> dict[str, object]:
    """What the document says of a measure's unit (see the module's docstring)."""
    words = units.describe(measure.unit_kind, measure.rate_per)
    before, after = units.affixes(measure.unit_kind, measure.rate_per)
    return {
        "unit_code": measure.unit_kind,
        "rate_per": measure.rate_per,
        "unit": words[:1].upper() + words[1:],
        "unit_label": (before or after).strip(),
    }


def unit_text(measure: dict) -> str:
    """The unit of a document's measure in words, for a page or a CSV: "Minutes", or for a
    document published before the vocabulary its old label else its kind ("min",
    "Duration")."""
    if measure.get("unit_code"):
        return str(measure.get("unit", ""))
    return str(measure.get("unit_label") or measure.get("unit", ""))


def point_label(point: dict) -> str:
    """The name of a document's period (a series point or the latest value): its ``label``,
    else, for a document without labels, the month of its ``period`` ("July 2026")."""
    if point.get("label"):
        return str(point["label"])
    period = dt.date.fromisoformat(point["period"])
    return f"{fiscal.MONTH_NAMES[period.month - 1]} {period.year}"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _band(band: scorecard_calc.Band, measure: Measure) -> dict:
    if band.is_point:
        return {"value": _num(band.low), "display": measure.format(band.low)}
    return {
        "low": _num(band.low),
        "high": _num(band.high),
        "display": f"{measure.format(band.low)} to {measure.format(band.high)}",
    }


def period_name(measure: Measure, period: dt.date, organization: Organization | None = None) -> str:
    """The period a value of ``measure`` is for, as the staff pages name it
    (``strategyhub.fiscal.period_label``, in the agency's fiscal calendar and label style):
    "March 2027", "Q1 FY 2026–27", "FY 2026–27". ``organization``: the measure's agency, when
    the caller has it (saves a query)."""
    organization = organization or measure.organization
    return fiscal.period_label(
        period,
        fiscal.Frequency(measure.update_frequency),
        organization.fiscal_year_start_month,
        organization.fiscal_year_label_style,
    )


def status_sentence(
    measure: Measure,
    assessment: scorecard_calc.Assessment,
    explicit: bool,
    organization: Organization | None = None,
) -> str:
    """One plain-language sentence, e.g. "Average response time was 8.4 min in March 2027,
    better than the 8.8 min planned for this year" (a quarterly measure's value is "in Q3
    FY 2026–27"). The measure's name keeps its case, wherever it stands."""
    # ``assess`` sets the latest value, its period and the band expected then together.
    expected = assessment.expected
    if assessment.latest_value is None or assessment.latest_period is None or expected is None:
        return f"{measure.name}: no value has been reported yet."
    value = measure.format(assessment.latest_value)
    when = period_name(measure, assessment.latest_period, organization)
    planned = "planned for this year" if explicit else "planned by then"
    if measure.polarity == scorecard_calc.Polarity.RANGE:
        target = f"{measure.format(expected.low)} to {measure.format(expected.high)}"
        inside = expected.low <= assessment.latest_value <= expected.high
        where = "within" if inside else "outside"
        text = f"{measure.name} was {value} in {when}, {where} the range of {target} {planned}."
    else:
        target = measure.format(expected.low)
        miss = scorecard_calc.shortfall(
            assessment.latest_value, expected, scorecard_calc.Polarity(measure.polarity)
        )
        if assessment.latest_value == expected.low:
            relation = "exactly the"
        elif miss == 0:
            relation = "better than the"
        else:
            relation = "short of the"
        text = f"{measure.name} was {value} in {when}, {relation} {target} {planned}."
    if assessment.status == Status.STALE:
        text += " This is the latest value reported; a newer one is overdue."
    return text


def build_document(organization: Organization, *, include_okrs: bool, version: int) -> dict:
    today = organization.today()
    fy_month = organization.fiscal_year_start_month
    plan = active_plan(organization)
    document: dict = {
        "schema": SCHEMA,
        "version": version,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "as_of": today.isoformat(),
        "as_of_label": dates.full_date(today),
        "agency": {
            "name": organization.name,
            "slug": organization.slug,
            "has_logo": bool(organization.logo),
        },
        "plan": None,
        "okrs": None,
    }
    if plan is None:
        return document
    measures = list(
        Measure.objects.filter(objective__plan=plan, archived_at=None, visibility=Visibility.PUBLIC)
        .select_related("objective")
        .prefetch_related("targets")
        .order_by("order", "name")
    )
    values: dict[int, list[MeasureValue]] = {m.pk: [] for m in measures}
    for row in MeasureValue.objects.filter(measure__in=measures).order_by("period"):
        values[row.measure_id].append(row)
    by_objective: dict[int, list[dict]] = {}
    statuses: dict[int, list[Status]] = {}
    for measure in measures:
        spec = measure_spec(measure, plan, fy_month)
        series = [(v.period, v.value) for v in values[measure.pk]]
        assessment = scorecard_calc.assess(spec, series, today)
        explicit = bool(
            assessment.latest_period
            and fiscal.fiscal_year_of(assessment.latest_period, fy_month)
            in (spec.yearly_floors or {})
        )
        statuses.setdefault(measure.objective_id, []).append(assessment.status)
        by_objective.setdefault(measure.objective_id, []).append(
            {
                "id": measure.public_id,
                "name": measure.name,
                "definition": measure.definition,
                "data_source": measure.data_source,
                **unit_entries(measure),
                "decimals": measure.decimals,
                "direction": measure.get_polarity_display(),
                "frequency": measure.get_update_frequency_display(),
                "baseline": {
                    "value": _num(measure.baseline_value),
                    "display": measure.format(measure.baseline_value),
                    "date": measure.baseline_date.isoformat(),
                },
                "five_year_target": {
                    **_band(measure.target_band, measure),
                    "date": spec.target_date.isoformat(),
                },
                "yearly_targets": [
                    {
                        "fiscal_year": t.fiscal_year,
                        "label": fiscal.fiscal_year(
                            t.fiscal_year, fy_month, organization.fiscal_year_label_style
                        ).label,
                        "floor": _band(t.band, measure),
                        "stretch": None
                        if t.stretch is None
                        else {"value": _num(t.stretch), "display": measure.format(t.stretch)},
                    }
                    for t in measure.targets.all()
                ],
                "series": [
                    {
                        "period": v.period.isoformat(),
                        "label": period_name(measure, v.period, organization),
                        "value": _num(v.value),
                        "display": measure.format(v.value),
                        "expected": _band(
                            scorecard_calc.expected_at(
                                spec, fiscal.period_end(v.period, spec.frequency)
                            ),
                            measure,
                        ),
                    }
                    for v in values[measure.pk]
                ],
                "latest": _latest(assessment, measure, organization),
                "last_updated": _last_updated(values[measure.pk]),
                "status": assessment.status.value,
                "status_label": assessment.status.label,
                "sentence": status_sentence(measure, assessment, explicit, organization),
                "progress": format_percent_share(
                    scorecard_calc.progress(spec, assessment.latest_value)
                ),
                "target_due_now": _band(scorecard_calc.expected_at(spec, today), measure),
            }
        )
    objectives = list(
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .select_related("perspective", "theme")
        .order_by("perspective__order", "order", "title")
    )
    perspectives = []
    for perspective in plan.perspectives.all():
        rows = []
        for objective in objectives:
            if objective.perspective_id != perspective.pk:
                continue
            status = scorecard_calc.objective_status(statuses.get(objective.pk, []))
            rows.append(
                {
                    "id": objective.public_id,
                    "title": objective.title,
                    "description": objective.description,
                    "theme": objective.theme.name if objective.theme else None,
                    "status": status.value,
                    "status_label": status.label,
                    "measures": by_objective.get(objective.pk, []),
                }
            )
        perspectives.append(
            {"name": perspective.name, "description": perspective.description, "objectives": rows}
        )
    document["plan"] = {
        "title": plan.title,
        "mission": plan.mission,
        "vision": plan.vision,
        "values": [v.strip() for v in plan.values.splitlines() if v.strip()],
        "first_fiscal_year": plan.first_fiscal_year,
        "last_fiscal_year": plan.last_fiscal_year,
        "themes": [{"name": t.name, "description": t.description} for t in plan.themes.all()],
        "perspectives": perspectives,
    }
    if include_okrs:
        document["okrs"] = _okrs(today)
    return document


def _okrs(today: dt.date) -> dict | None:
    objectives = list(
        OkrObjective.objects.filter(
            archived_at=None,
            cycle__kind=CycleKind.QUARTER,
            cycle__start__lte=today,
            cycle__end__gte=today,
        )
        .select_related("cycle", "strategic_objective")
        .prefetch_related("key_results")
        .order_by("order", "title")
    )
    if not objectives:
        return None
    cycle = objectives[0].cycle
    rows = []
    for objective in objectives:
        krs = [kr for kr in objective.key_results.all() if kr.archived_at is None]
        score = score_of_record(
            objective_score_of(krs), status=objective.status, final_score=objective.final_score
        )
        rows.append(
            {
                "title": objective.title,
                "serves": objective.strategic_objective.public_id
                if objective.strategic_objective
                else None,
                "score": format_score(score),
                "key_results": [
                    {
                        "title": kr.title,
                        "score": format_score(kr.score),
                        "status_label": (
                            okr_calc.status_from_score(
                                kr.spec(), kr.score, cycle.start, cycle.end, today
                            )
                            if kr.current_as_of
                            else Status.NO_DATA
                        ).label,
                    }
                    for kr in krs
                ],
            }
        )
    return {
        "cycle": cycle.label,
        "start": cycle.start.isoformat(),
        "end": cycle.end.isoformat(),
        "objectives": rows,
    }


def _latest(
    assessment: scorecard_calc.Assessment, measure: Measure, organization: Organization
) -> dict | None:
    """The latest value reported, or None when there is none."""
    if assessment.latest_value is None or assessment.latest_period is None:
        return None
    return {
        "period": assessment.latest_period.isoformat(),
        "label": period_name(measure, assessment.latest_period, organization),
        "value": _num(assessment.latest_value),
        "display": measure.format(assessment.latest_value),
    }


def _last_updated(rows: list[MeasureValue]) -> str | None:
    latest = max((row.entered_at for row in rows), default=None)
    return latest.date().isoformat() if latest else None
