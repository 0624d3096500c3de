"""What an edition says: the report's content read from the data as of the period's end.

Decisions (docs/reports.md):

* The plan's **structure and commitments** — objectives, measures (definition, direction,
  targets, tolerance, owner, visibility), yearly targets and strategy-map links — are read as
  they stood at the end of the period's last day in the agency's time zone, from the kept
  history (``reports.asof``). A measure created later is not in the report; one archived
  later is.
* **Values** are those of periods that end by the period's end, as recorded up to the
  edition's ``data_as_of`` moment (the build time): the December value typed in on
  10 January belongs in the Q2 report. A correction made after an edition appears in the
  next edition, whose note lists what changed (``reports.editions.changes``).
* Statuses, trends and the likelihood are computed by the scorecard's own rules
  (``scorecards.calc``) with "today" = the period's end, so a value is stale if it was
  stale then. Perspectives keep no history: their current names are used.
* OKR results are the stored (frozen once closed) scores of the quarters inside the period.

A fixed number of queries whatever the agency's size: every list is read in one batch.
The content is plain JSON: every number as text at full precision and as displayed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from okrs import calc as okr_calc
from okrs.keyresults import score_of_record
from okrs.models import Cycle, CycleKind, KeyResult, OkrObjective
from reports import likelihood, narrative
from reports.asof import as_of, as_of_or_first
from reports.models import Report, Template
from scorecards import calc, charts
from scorecards.models import (
    CausalLink,
    Measure,
    MeasureTarget,
    MeasureValue,
    Perspective,
    StrategicObjective,
    Visibility,
)
from strategyhub import fiscal, language
from strategyhub.models import Membership, Organization, User
from strategyhub.status import Status
from strategyhub.ui import dates
from strategyhub.ui.formatting import NO_VALUE, format_percent_share, format_quantity, format_score

CONTENT_VERSION = 1
SUCCESS = Decimal("0.7")
COUNTED = [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.STALE, Status.NO_DATA]
TREND_WORDS = {
    calc.Trend.IMPROVING: "Improving",
    calc.Trend.WORSENING: "Worsening",
    calc.Trend.FLAT: "Flat",
    calc.Trend.UNKNOWN: "Not enough history",
}
LIKELIHOOD_WORDS = {
    likelihood.Likelihood.LIKELY: "Likely",
    likelihood.Likelihood.POSSIBLE: "Possible",
    likelihood.Likelihood.UNLIKELY: "Unlikely",
    likelihood.Likelihood.NOT_ENOUGH_DATA: "Not enough data",
}


class BuildRefused(Exception):
    """A report that cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class Period:
    kind: str
    label: str
    start: dt.date
    end: dt.date


def periods(report: Report, organization: Organization) -> tuple[Period, Period]:
    """The report's period and the one before it (the previous quarter or fiscal year)."""
    month, style = organization.fiscal_year_start_month, organization.fiscal_year_label_style
    this = report.period(month, style)
    if isinstance(this, fiscal.FiscalQuarter):
        before = fiscal.fiscal_quarter_containing(this.start - dt.timedelta(days=1), month, style)
        return (
            Period("quarter", this.label, this.start, this.end),
            Period("quarter", before.label, before.start, before.end),
        )
    previous = fiscal.fiscal_year(report.fiscal_year - 1, month, style)
    return (
        Period("year", this.label, this.start, this.end),
        Period("year", previous.label, previous.start, previous.end),
    )


def end_of_day(day: dt.date, organization: Organization) -> dt.datetime:
    """The last moment of ``day`` in the agency's time zone."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=organization.tz)


def _display(version: Any, value: Decimal | None) -> str:
    return format_quantity(value, version.decimals, version.unit_kind, version.rate_per)


def _band_text(version: Any, band: calc.Band | None) -> str:
    if band is None:
        return NO_VALUE
    if band.is_point:
        return _display(version, band.low)
    return f"{_display(version, band.low)} to {_display(version, band.high)}"


def _target_band(version: Any) -> calc.Band:
    if version.polarity == calc.Polarity.RANGE:
        return calc.Band(version.range_low, version.range_high)
    return calc.Band.point(version.target_value)


def _year_band(target: Any) -> calc.Band:
    if target.range_high is not None:
        return calc.Band(target.floor, target.range_high)
    return calc.Band.point(target.floor)


def _active_owner_ids(
    organization: Organization, user_ids: set[int], moment: dt.datetime
) -> set[int]:
    """Owners whose membership was not deactivated by ``moment`` (one query; a membership
    created later still counts, as a plan typed in later does)."""
    if not user_ids:
        return set()
    return set(
        Membership.objects.filter(organization=organization, user_id__in=user_ids)
        .filter(Q(is_active=True) | Q(deactivated_at__gt=moment))
        .values_list("user_id", flat=True)
    )


def build_content(report: Report, organization: Organization, data_as_of: dt.datetime) -> dict:
    """The content of an edition of ``report`` built at ``data_as_of`` (see the module)."""
    plan = report.plan
    this, before = periods(report, organization)
    month, style = organization.fiscal_year_start_month, organization.fiscal_year_label_style
    if not (
        plan.first_fiscal_year <= fiscal.fiscal_year_of(this.start, month) <= plan.last_fiscal_year
    ):
        raise BuildRefused(
            gettext(
                "%(label)s is outside the plan “%(title)s” "
                "(%(first_fiscal_year)s–%(last_fiscal_year)s)."
            )
            % {
                "label": this.label,
                "title": plan.title,
                "first_fiscal_year": plan.first_fiscal_year,
                "last_fiscal_year": plan.last_fiscal_year,
            }
        )
    structure_at = end_of_day(this.end, organization)
    previous_at = end_of_day(before.end, organization)
    org_id = organization.pk

    perspectives = list(Perspective.objects.filter(plan=plan).order_by("order", "name"))
    if report.template == Template.PERSPECTIVE:
        perspectives = [p for p in perspectives if p.pk == report.perspective_id]
    perspective_ids = {p.pk for p in perspectives}
    objectives = [
        o
        for o in as_of_or_first(StrategicObjective, org_id, structure_at, plan_id=plan.pk).values()
        if o.perspective_id in perspective_ids
        and (o.archived_at is None or o.archived_at > structure_at)
    ]
    objectives.sort(key=lambda o: (o.order, o.title))
    objective_ids = {o.id for o in objectives}
    measures = [
        m
        for m in as_of_or_first(
            Measure, org_id, structure_at, objective_id__in=objective_ids
        ).values()
        if (m.archived_at is None or m.archived_at > structure_at)
        # Recorded after the period: in it only if it was measured from before its end.
        and not (getattr(m, "recorded_later", False) and m.baseline_date > this.end)
    ]
    measures.sort(key=lambda m: (m.order, m.name))
    measure_ids = {m.id for m in measures}
    if not measures:
        raise BuildRefused(
            gettext("The plan had no measures at the end of %(label)s: there is nothing to report.")
            % {"label": this.label}
        )
    targets: dict[int, dict[int, calc.Band]] = defaultdict(dict)
    stretches: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for t in as_of_or_first(
        MeasureTarget, org_id, structure_at, measure_id__in=measure_ids
    ).values():
        targets[t.measure_id][t.fiscal_year] = _year_band(t)
        stretches[t.measure_id][t.fiscal_year] = t.stretch
    series: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for v in as_of(
        MeasureValue, org_id, data_as_of, measure_id__in=measure_ids, period__lte=this.end
    ).values():
        series[v.measure_id].append((v.period, v.value))
    links = list(as_of_or_first(CausalLink, org_id, structure_at).values())
    all_titles = dict(
        StrategicObjective.objects.filter(plan=plan).values_list("pk", "title")
    )  # names of linked objectives outside a one-perspective report
    owner_ids = {o.owner_id for o in objectives if o.owner_id} | {
        m.owner_id for m in measures if m.owner_id
    }
    names = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in=owner_ids).only("full_name", "email")
    }
    active_owners = _active_owner_ids(organization, owner_ids, structure_at)

    cycles = list(
        Cycle.objects.filter(kind=CycleKind.QUARTER, start__gte=this.start, end__lte=this.end)
    )
    feeding: dict[int, list[dict]] = defaultdict(list)
    for kr in (
        KeyResult.objects.filter(measure_id__in=measure_ids, objective__cycle__in=cycles)
        .filter(archived_at=None)
        .select_related("objective__cycle")
    ):
        if kr.measure_id is not None:
            feeding[kr.measure_id].append(_key_result(kr, this.end))
    okr = _okr_results(cycles)

    target_date = plan.end_date(month)
    measure_entries: dict[int, list[dict]] = defaultdict(list)
    statuses: dict[int, Status] = {}
    previous_statuses: dict[int, Status] = {}
    for m in measures:
        spec = calc.MeasureSpec(
            polarity=calc.Polarity(m.polarity),
            baseline_value=m.baseline_value,
            baseline_date=m.baseline_date,
            target_date=target_date,
            target=_target_band(m),
            tolerance=m.tolerance,
            frequency=fiscal.Frequency(m.update_frequency),
            fiscal_start_month=month,
            fiscal_label_style=style,
            yearly_floors=targets.get(m.id, {}),
        )
        values = sorted(
            (p, v)
            for p, v in series.get(m.id, [])
            if fiscal.period_end(p, spec.frequency) <= this.end
        )
        entry = _measure_entry(m, spec, values, this, before, plan, month, style, names)
        entry["key_results"] = sorted(
            feeding.get(m.id, []),
            key=lambda k: (k["score_raw"] is None, Decimal(k["score_raw"] or 0)),
        )
        measure_entries[m.objective_id].append(entry)
        statuses[m.id] = Status(entry["status"])
        previous_statuses[m.id] = Status(entry["previous_status"])

    objective_statuses: dict[int, Status] = {}
    previous_objective_statuses: dict[int, Status] = {}
    sections = []
    for perspective in perspectives:
        rows = []
        for o in (o for o in objectives if o.perspective_id == perspective.pk):
            entries = measure_entries.get(o.id, [])
            status = calc.objective_status([Status(e["status"]) for e in entries])
            objective_statuses[o.id] = status
            previous_objective_statuses[o.id] = calc.objective_status(
                [Status(e["previous_status"]) for e in entries]
            )
            rows.append(
                {
                    "id": o.id,
                    "title": o.title,
                    "description": o.description,
                    "status": status.value,
                    "status_label": status.label,
                    "owner": names.get(o.owner_id, "") if o.owner_id else "",
                    "owner_id": o.owner_id,
                    "drives": sorted(
                        all_titles.get(link.target_id, "")
                        for link in links
                        if link.source_id == o.id
                    ),
                    "driven_by": sorted(
                        all_titles.get(link.source_id, "")
                        for link in links
                        if link.target_id == o.id
                    ),
                    "measures": entries,
                }
            )
        sections.append({"id": perspective.pk, "name": perspective.name, "objectives": rows})

    counts = Counter(s.value for s in statuses.values())
    previous_counts = Counter(s.value for s in previous_statuses.values())
    objective_counts = Counter(s.value for s in objective_statuses.values())
    previous_objective_counts = Counter(s.value for s in previous_objective_statuses.values())
    ownership = _ownership(objectives, measures, active_owners, objective_statuses, statuses)
    previous_label = before.label
    return {
        "version": CONTENT_VERSION,
        "title": report.title,
        "template": report.template,
        "template_label": str(Template(report.template).label),
        "organization": organization.name,
        "plan": plan.title,
        "language": language.choose(translation.get_language()),  # "en", "es": a supported code
        "period": _period_json(this),
        "previous_period": _period_json(before),
        "data_as_of": data_as_of.isoformat(),
        "structure_as_of": structure_at.isoformat(),
        "previous_as_of": previous_at.isoformat(),
        "target_date": target_date.isoformat(),
        "summary": {
            "measures": {
                "total": len(statuses),
                "rows": _count_rows(counts, previous_counts),
                "sentences": narrative.summary_sentences(
                    len(statuses), dict(counts), dict(previous_counts), previous_label
                ),
            },
            "objectives": {
                "total": len(objective_statuses),
                "rows": _count_rows(objective_counts, previous_objective_counts),
            },
            "okr": okr,
            "ownership": ownership,
        },
        "perspectives": sections,
        "footnotes": [
            likelihood.METHOD,
            _(
                "Targets, owners and links are as they stood at the end of %(period)s; "
                "values as recorded by %(built)s."
            )
            % {
                "period": this.label,
                "built": dates.full_date(timezone.localtime(data_as_of, organization.tz)),
            },
        ],
    }


def _period_json(period: Period) -> dict[str, str]:
    return {
        "kind": period.kind,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _count_rows(counts: Counter, previous: Counter) -> list[dict[str, Any]]:
    return [
        {
            "status": status.value,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "previous": previous.get(status.value, 0),
            "change": counts.get(status.value, 0) - previous.get(status.value, 0),
        }
        for status in COUNTED
    ]


def _measure_entry(
    m: Any,
    spec: calc.MeasureSpec,
    values: list[tuple[dt.date, Decimal]],
    this: Period,
    before: Period,
    plan: Any,
    month: int,
    style: str,
    names: dict[int, str],
) -> dict[str, Any]:
    def label(day: dt.date) -> str:
        return fiscal.period_label(day, spec.frequency, month, style)

    assessment = calc.assess(spec, values, this.end)
    previous_values = [
        (p, v) for p, v in values if fiscal.period_end(p, spec.frequency) <= before.end
    ]
    previous = calc.assess(spec, previous_values, before.end)
    reading = calc.trend(values, spec.polarity, spec.target)
    outlook = likelihood.forecast(values, spec.target_date, spec.target, spec.polarity)
    due_now = calc.expected_at(spec, this.end)
    status = assessment.status
    facts = narrative.MeasureFacts(
        name=m.name,
        polarity=spec.polarity,
        unit_kind=m.unit_kind,
        rate_per=m.rate_per,
        decimals=m.decimals,
        status=status,
        current=assessment.latest_value,
        current_label=label(assessment.latest_period) if assessment.latest_period else "",
        previous=previous.latest_value,
        expected=assessment.expected,
        first_period=previous.latest_value is None,
    )
    sentences = narrative.measure_sentences(facts)
    if outlook.likelihood != likelihood.Likelihood.NOT_ENOUGH_DATA:
        sentences.append(
            narrative.likelihood_sentence(m.name, outlook.likelihood, spec.target_date)
        )
    yearly = [
        charts.YearTarget(
            start=fiscal.fiscal_year(year, month).start,
            end=fiscal.fiscal_year_end(year, month),
            floor=band,
            stretch=None,
        )
        for year, band in sorted((spec.yearly_floors or {}).items())
    ]
    chart = charts.trend_chart(
        title=f"{m.name}: actual values and targets",
        actuals=values,
        spec=spec,
        plan_start=plan.start_date(month),
        yearly=yearly,
        fmt=lambda value: _display(m, value),
        id_prefix=f"chart-m{m.id}",
    )
    rows = []
    for period, value in reversed(values):
        expected = calc.expected_at(spec, fiscal.period_end(period, spec.frequency))
        row_status = calc.compare(value, expected, spec.polarity, spec.tolerance)
        rows.append(
            {
                "period": period.isoformat(),
                "period_label": label(period),
                "value": _display(m, value),
                "value_raw": str(value),
                "target": _band_text(m, expected),
                "status_label": row_status.label,
            }
        )
    trend_text = TREND_WORDS[reading.direction]
    if reading.compared_with is not None:
        trend_text += f" (vs. {label(reading.compared_with)})"
    return {
        "id": m.id,
        "name": m.name,
        "definition": m.definition,
        "public": m.visibility == Visibility.PUBLIC,
        "owner": names.get(m.owner_id, "") if m.owner_id else "",
        "owner_id": m.owner_id,
        "direction": {
            "higher": "Higher is better",
            "lower": "Lower is better",
            "range": "Stay within a range",
        }[spec.polarity],
        "status": status.value,
        "status_label": status.label,
        "previous_status": previous.status.value,
        "value": _display(m, assessment.latest_value),
        "value_raw": None if assessment.latest_value is None else str(assessment.latest_value),
        "value_period": facts.current_label,
        "previous_value": _display(m, previous.latest_value),
        "target_due": _band_text(m, due_now),
        "five_year_target": _band_text(m, spec.target),
        "trend": reading.direction.value,
        "trend_text": trend_text,
        "likelihood": outlook.likelihood.value,
        "likelihood_label": LIKELIHOOD_WORDS[outlook.likelihood],
        "forecast": None if outlook.forecast is None else _forecast_text(m, outlook),
        "sentences": sentences,
        "chart": str(chart),
        "legend": str(charts.legend(yearly)),
        "rows": rows,
    }


def _forecast_text(m: Any, outlook: likelihood.Forecast) -> str:
    band = f"{_display(m, outlook.low)} to {_display(m, outlook.high)}"
    return f"{_display(m, outlook.forecast)} (band {band})"


def _key_result(kr: KeyResult, period_end: dt.date) -> dict[str, Any]:
    cycle = kr.objective.cycle
    score = kr.frozen_score if cycle.is_closed and kr.frozen_score is not None else kr.score
    if kr.current_as_of is None:
        status = Status.NO_DATA
    else:
        status = okr_calc.status_from_score(
            kr.spec(), score, cycle.start, cycle.end, min(period_end, cycle.end)
        )
    return {
        "id": kr.pk,
        "title": kr.title,
        "objective": kr.objective.title,
        "cycle": cycle.label,
        "score": format_score(score) if kr.current_as_of else NO_VALUE,
        "score_raw": str(score) if kr.current_as_of else None,
        "status": status.value,
        "status_label": status.label,
    }


def _okr_results(cycles: list[Cycle]) -> dict[str, Any]:
    rows = []
    for objective in (
        OkrObjective.objects.filter(cycle__in=cycles, archived_at=None)
        .select_related("cycle")
        .order_by("cycle__start", "order", "title")
    ):
        score = score_of_record(
            objective.score, status=objective.status, final_score=objective.final_score
        )
        rows.append(
            {
                "title": objective.title,
                "cycle": objective.cycle.label,
                "score": format_score(score) or NO_VALUE,
                "score_raw": None if score is None else str(score),
                "met": score is not None and score >= SUCCESS,
            }
        )
    scored = [Decimal(r["score_raw"]) for r in rows if r["score_raw"] is not None]
    met = sum(1 for r in rows if r["met"])
    mean = sum(scored, Decimal(0)) / len(scored) if scored else None
    return {
        "cycles": [c.label for c in cycles],
        "total": len(scored),
        "met": met,
        "mean": format_score(mean) if mean is not None else NO_VALUE,
        "objectives": sorted(
            rows, key=lambda r: (r["score_raw"] is None, Decimal(r["score_raw"] or 0))
        ),
        "sentences": narrative.okr_sentences(met, len(scored), mean),
    }


def _on_track_rate(statuses: list[Status]) -> Decimal | None:
    judged = [s for s in statuses if s != Status.NO_DATA]
    if not judged:
        return None
    return Decimal(sum(1 for s in judged if s == Status.ON_TRACK)) / Decimal(len(judged))


def _ownership(
    objectives: list[Any],
    measures: list[Any],
    active_owners: set[int],
    objective_statuses: dict[int, Status],
    measure_statuses: dict[int, Status],
) -> dict[str, Any]:
    owned: list[Status] = []
    unowned: list[Status] = []
    for item, status in [(o, objective_statuses[o.id]) for o in objectives] + [
        (m, measure_statuses[m.id]) for m in measures
    ]:
        (owned if item.owner_id in active_owners else unowned).append(status)
    owned_rate, unowned_rate = _on_track_rate(owned), _on_track_rate(unowned)

    def pct(rate: Decimal | None) -> str:
        return format_percent_share(rate)

    return {
        "owned": len(owned),
        "unowned": len(unowned),
        "owned_rate": pct(owned_rate),
        "unowned_rate": pct(unowned_rate),
        "sentences": narrative.ownership_sentences(
            len(owned), len(unowned), owned_rate, unowned_rate
        ),
    }
