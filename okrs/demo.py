"""Demo data of the execution layer: the police department's OKRs of DESIGN.md §2, placed
in the quarter running when the demo is seeded, with weekly check-ins from the quarter's
start up to this week (so "My check-ins" has this week's work: most of it done, a few
results left for the demo's user), and in the quarter before it, checked in every week,
reviewed and closed with its CIT result carried over (``okrs.demo_history``). Everything
goes through the product's actions (``checkins.record``, ``keyresults``, ``review``), so
scores, objective scores and roll-ups are what they would be.

The response-time and CIT-certification measures (``FED_MEASURES``) become calculated from
their key results when the OKRs start, with the closed quarter: their earlier values were
entered (``scorecards/demo.py``, "fed": held at the baseline the closed quarter's results
start from), their values since are the roll-up of the two quarters' results. The roll-up
writes only periods its results' quarters overlap, so the entered history stays as it is
(after the seed, ``recompute_rollups`` has nothing to write)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.dispatch import receiver

from okrs import calc, checkins, demo_history, keyresults
from okrs.cycles import current_quarter, ensure_current_and_next
from okrs.models import Cycle, KeyResult, OkrObjective
from scorecards.models import Measure, StrategicObjective, ValueSource
from strategyhub import signals
from strategyhub.models import Organization, Unit, User

# objective title, strategic objective, owner role, key results:
# (title, kind, unit (a code of strategyhub.units), start, target, owner role, pace, extra)
OKRS = [
    (
        "Reduce violent crime in priority districts (Wards 5, 7, 8)",
        "Reduce violent crime",
        "editor",
        [
            (
                "Increase foot patrols by 40%",
                "metric",
                "count",
                "100",
                "140",
                "contributor",
                "1.1",
                {},
            ),
            (
                "Respond to serious incidents in under 8 min",
                "metric",
                "minutes",
                "9.2",
                "8.0",
                "contributor",
                "0.3",
                {"measure": "Average response time to serious incidents"},
            ),
            (
                "Hold 50 community events in priority zones",
                "metric",
                "count",
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
                "30",
                "80",
                "contributor",
                "0.8",
                {},
            ),
            (
                "A community feedback mechanism with 500 responses",
                "metric",
                "count",
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
    """Idempotent: a quarter that already has the demo OKRs is left as it is (and the
    quarter before it gets the history only when it has no demo OKRs and is not closed)."""
    today = organization.today()
    ensure_current_and_next(organization, today)
    cycle = current_quarter(organization, today)
    if cycle is None or OkrObjective.objects.filter(cycle=cycle, title=OKRS[0][0]).exists():
        return
    context = {
        "users": users,
        "police": units["Police Department"],
        "strategic": {
            o.title: o for o in StrategicObjective.objects.filter(title__in=[o[1] for o in OKRS])
        },
        "measures": {m.name: m for m in Measure.objects.all()},
    }
    for name in FED_MEASURES:
        if name in context["measures"]:
            Measure.objects.filter(pk=context["measures"][name].pk).update(
                value_source=ValueSource.CALCULATED, rollup_method="latest"
            )
    previous = demo_history.quarter_for_history(cycle)
    ended: dict[str, KeyResult] = {}
    if previous is not None:
        days = checkin_days(previous, today)
        for kr, pace, extra in _create_okrs(previous, context, overrides=demo_history.PREVIOUS):
            _check_in(kr, days, pace, extra, previous, today)
            ended[kr.title] = kr
        demo_history.review(previous)
    starts = {
        title: kr.current_value
        for title, kr in ended.items()
        if title in demo_history.CONTINUING
        and kr.current_value is not None
        and kr.current_value != kr.target_value
    }
    skip = {demo_history.CARRIED} if previous is not None else set()
    planned = _create_okrs(cycle, context, starts=starts, skip=skip)
    if previous is not None:
        for kr in demo_history.close(previous, cycle, users["admin"]):
            planned.append((kr, *_plan_of(kr.title)))
    days = checkin_days(cycle, today)
    for kr, pace, extra in planned:
        this_week = kr.title not in LEFT_THIS_WEEK
        _check_in(kr, days, pace, extra, cycle, today, this_week=this_week)


Planned = tuple[KeyResult, D, dict]
"""A demo key result with how its quarter goes: its pace and the extras of its row."""


def _plan_of(title: str) -> tuple[D, dict]:
    """The pace and extras of the key result titled ``title`` in ``OKRS``."""
    for *_, key_results in OKRS:
        for kr_title, *_, pace, extra in key_results:
            if kr_title == title:
                return D(pace), extra
    raise KeyError(title)


def _create_okrs(
    cycle: Cycle,
    context: dict,
    *,
    starts: dict[str, D] | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
    overrides: dict[str, dict] | None = None,
) -> list[Planned]:
    """The police OKRs in ``cycle``, each key result created as of the cycle's start;
    ``starts``: start values by title (else the row's), ``skip``: titles not created,
    ``overrides``: pace and extras by title (else the row's)."""
    organization = cycle.organization
    users, police, measures = context["users"], context["police"], context["measures"]
    starts, overrides = starts or {}, overrides or {}
    created_at = demo_history.start_of(cycle)
    planned: list[Planned] = []
    for order, (title, strategic_title, owner_role, key_results) in enumerate(OKRS, start=1):
        objective = OkrObjective.objects.create(
            organization=organization,
            cycle=cycle,
            level="unit",
            unit=police,
            owner=users[owner_role],
            title=title,
            order=order,
            strategic_objective=context["strategic"].get(strategic_title),
        )
        for kr_order, (
            kr_title,
            kind,
            unit_kind,
            start,
            target,
            kr_owner,
            pace,
            extra,
        ) in enumerate(key_results):
            if kr_title in skip:
                continue
            kr = KeyResult.objects.create(
                organization=organization,
                objective=objective,
                title=kr_title,
                kind=kind,
                unit_kind=unit_kind,
                decimals=1 if unit_kind == "minutes" else 0,
                start_value=starts.get(kr_title, None if start is None else D(start)),
                target_value=None if target is None else D(target),
                hold_direction=extra.get("hold_direction", ""),
                due_date=min(cycle.end, cycle.start + dt.timedelta(weeks=extra["due_weeks"]))
                if "due_weeks" in extra
                else None,
                owner=users[kr_owner],
                order=kr_order,
                measure=measures.get(extra.get("measure", "")),
                is_counterweight=extra.get("counterweight", False),
                created_at=created_at,
            )
            keyresults.key_result_changed(kr, None)  # a new result: its objective's score
            changes = overrides.get(kr_title, {})
            planned.append((kr, D(changes.get("pace", pace)), {**extra, **changes}))
    return planned


FED_MEASURES = ("Average response time to serious incidents", "Officers with CIT certification")
"""The measures calculated from their key results (``latest``) from the OKRs' start on."""

LEFT_THIS_WEEK = {
    "Respond to serious incidents in under 8 min",
    "Residents say officers treated them with respect",
    "A community feedback mechanism with 500 responses",
}
"""Results whose check-in of this week is left for the demo's user (the contributor's
response time, which moves its measure; a qualitative score; one of the editor's)."""


def checkin_days(cycle: Cycle, today: dt.date) -> list[dt.date]:
    """One check-in a week, on its Thursday, from the week holding the cycle's start to the
    week holding today (or the cycle's end), kept inside the cycle and not after today (so
    this week's is today until Thursday). Weeks run Monday to Sunday, as in the check-in
    tally (``ownership.queries.checkin_tally``)."""
    last = min(today, cycle.end)
    monday = cycle.start - dt.timedelta(days=cycle.start.weekday())
    days = []
    while monday <= last:
        days.append(min(max(monday + dt.timedelta(days=3), cycle.start), last))
        monday += dt.timedelta(days=7)
    return days


def _check_in(kr, days, pace, extra, cycle, today, *, this_week: bool = True) -> None:
    """The owner's weekly check-ins on ``days``; without ``this_week`` the last one (this
    week's, in the running quarter) is left for the owner to do in the demo. A metric moves
    at ``pace`` (1: 80 % of the way by the cycle's end), a milestone marked done in
    ``extra`` is done from three weeks before it is due."""
    author = kr.owner
    for index, week in enumerate(days if this_week else days[:-1]):
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
