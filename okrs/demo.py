"""Demo data of the execution layer: the police department's OKRs of DESIGN.md §2, placed
in the quarter running when the demo is seeded (so "My check-ins" has this week's work),
with weekly check-ins from the quarter's start. The response-time and CIT-certification
measures become calculated from their key results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.dispatch import receiver

from okrs import calc, checkins, keyresults
from okrs.cycles import current_quarter, ensure_current_and_next
from okrs.models import KeyResult, OkrObjective
from scorecards.models import Measure, StrategicObjective, ValueSource
from strategyhub import signals
from strategyhub.models import Organization, Unit, User

# objective title, strategic objective, owner role, key results:
# (title, kind, unit kind, unit label, start, target, owner role, pace, extra)
OKRS = [
    (
        "Reduce violent crime in priority districts (Wards 5, 7, 8)",
        "Reduce violent crime",
        "editor",
        [
            (
                "Increase foot patrols by 40%",
                "metric",
                "number",
                "patrols/week",
                "100",
                "140",
                "contributor",
                "1.1",
                {},
            ),
            (
                "Respond to serious incidents in under 8 min",
                "metric",
                "duration",
                "min",
                "9.2",
                "8.0",
                "contributor",
                "0.6",
                {"measure": "Average response time to serious incidents"},
            ),
            (
                "Hold 50 community events in priority zones",
                "metric",
                "number",
                "events",
                "0",
                "50",
                "editor",
                "0.9",
                {},
            ),
            (
                "Complete a 2-week CIT module for 45 officers",
                "metric",
                "percent",
                "",
                "40",
                "47",
                "contributor",
                "0.5",
                {"measure": "Officers with CIT certification"},
            ),
        ],
    ),
    (
        "Modernize dispatch and response systems",
        "Improve emergency response",
        "admin",
        [
            (
                "Integrate CAD and mobile units by week 8",
                "milestone",
                "number",
                "",
                None,
                None,
                "contributor",
                "1",
                {"due_weeks": 8, "done": True},
            ),
            (
                "Train 100% of dispatch staff",
                "metric",
                "percent",
                "",
                "20",
                "100",
                "editor",
                "1.0",
                {},
            ),
            (
                "95% system uptime in pilot precincts",
                "hold",
                "percent",
                "",
                "95",
                "95",
                "contributor",
                "1",
                {"hold_direction": "at_least", "counterweight": True},
            ),
            (
                "Deploy mobile units in Wards 5 and 7",
                "milestone",
                "number",
                "",
                None,
                None,
                "editor",
                "0",
                {"due_weeks": 13, "done": False},
            ),
        ],
    ),
    (
        "Strengthen accountability and transparency",
        "Increase community policing",
        "editor",
        [
            (
                "Publish a quarterly public-safety dashboard",
                "milestone",
                "number",
                "",
                None,
                None,
                "editor",
                "0",
                {"due_weeks": 12, "done": False},
            ),
            (
                "Body-camera integration for 80% of the patrol fleet",
                "metric",
                "percent",
                "",
                "30",
                "80",
                "contributor",
                "0.8",
                {},
            ),
            (
                "A community feedback mechanism with 500 responses",
                "metric",
                "number",
                "responses",
                "0",
                "500",
                "editor",
                "0.4",
                {},
            ),
            (
                "Residents say officers treated them with respect",
                "qualitative",
                "number",
                "",
                None,
                None,
                "contributor",
                "0.6",
                {"counterweight": True},
            ),
        ],
    ),
]


def seed(organization: Organization, users: dict[str, User], units: dict[str, Unit]) -> None:
    """Idempotent: a quarter that already has the demo OKRs is left as it is."""
    today = organization.today()
    ensure_current_and_next(organization, today)
    cycle = current_quarter(organization, today)
    if cycle is None or OkrObjective.objects.filter(cycle=cycle, title=OKRS[0][0]).exists():
        return
    police = units["Police Department"]
    strategic = {
        o.title: o for o in StrategicObjective.objects.filter(title__in=[o[1] for o in OKRS])
    }
    measures = {m.name: m for m in Measure.objects.all()}
    for name in ("Average response time to serious incidents", "Officers with CIT certification"):
        if name in measures:
            Measure.objects.filter(pk=measures[name].pk).update(
                value_source=ValueSource.CALCULATED, rollup_method="latest"
            )
    weeks = [
        cycle.start + dt.timedelta(days=7 * w + 4)
        for w in range(14)
        if cycle.start + dt.timedelta(days=7 * w + 4) <= today
    ]
    for order, (title, strategic_title, owner_role, key_results) in enumerate(OKRS, start=1):
        objective = OkrObjective.objects.create(
            organization=organization,
            cycle=cycle,
            level="unit",
            unit=police,
            owner=users[owner_role],
            title=title,
            order=order,
            strategic_objective=strategic.get(strategic_title),
        )
        for kr_order, (
            kr_title,
            kind,
            unit_kind,
            label,
            start,
            target,
            kr_owner,
            pace,
            extra,
        ) in enumerate(key_results):
            kr = KeyResult.objects.create(
                organization=organization,
                objective=objective,
                title=kr_title,
                kind=kind,
                unit_kind=unit_kind,
                unit_label=label,
                decimals=1 if unit_kind == "duration" else 0,
                start_value=None if start is None else D(start),
                target_value=None if target is None else D(target),
                hold_direction=extra.get("hold_direction", ""),
                due_date=cycle.start + dt.timedelta(weeks=extra["due_weeks"])
                if "due_weeks" in extra
                else None,
                owner=users[kr_owner],
                order=kr_order,
                measure=measures.get(extra.get("measure", "")),
                is_counterweight=extra.get("counterweight", False),
            )
            keyresults.key_result_changed(kr, None)  # a new result: its objective's score
            _check_in(kr, weeks, D(pace), extra, cycle, users[kr_owner], today)


def _check_in(kr, weeks, pace, extra, cycle, author, today) -> None:
    """Weekly check-ins; the last week is left for the owner to do in the demo."""
    for index, week in enumerate(weeks[:-1] if len(weeks) > 1 else weeks):
        share = calc.elapsed_share(cycle.start, cycle.end, week)
        kwargs: dict = {"confidence": 7 if pace >= 1 else 4}
        if kr.kind == "metric":
            progress = min(D("1.2"), D("0.8") * share * pace)
            kwargs["value"] = (
                kr.start_value + (kr.target_value - kr.start_value) * progress
            ).quantize(D("0.1"))
        elif kr.kind == "hold":
            kwargs["value"] = D("96.2") if index % 4 else D("95.4")
        elif kr.kind == "milestone":
            due = kr.due_date
            kwargs["done"] = bool(extra.get("done")) and week >= due - dt.timedelta(weeks=3)
        else:
            kwargs["rubric_score"] = D("0.5") + D(index % 3) / 10
            kwargs["evidence"] = "Feedback cards from the Ward 5 community meeting."
        kwargs["moved"] = "Weekly update." if index % 2 else ""
        checkins.record(kr, author, checkins.CheckInEntry(as_of=week, **kwargs), today=today)


@receiver(signals.seed_demo, dispatch_uid="okrs-demo")
def _on_seed_demo(sender, organization, users, units, **kwargs) -> None:
    seed(organization, users, units)
