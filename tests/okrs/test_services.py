"""Cycles, check-ins and the roll-up into measures."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry, CheckInRefused
from okrs.cycles import current_quarter, ensure_current_and_next, ensure_cycles
from okrs.keyresults import objective_score_of
from okrs.models import CheckIn, Cycle, KeyResult
from scorecards.models import MeasureValue
from strategyhub.models import Organization
from tests.conftest import needs_service

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_cycles_follow_the_fiscal_year(org_a):
    with scope(organization=org_a.org):
        cycles = ensure_cycles(org_a.org, 2026)
        again = ensure_cycles(org_a.org, 2026)
        assert [c.pk for c in cycles] == [c.pk for c in again]  # never duplicated
        assert [(c.label, c.start, c.end) for c in cycles] == [
            ("FY 2026–27", dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
            ("Q1 FY 2026–27", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            ("Q2 FY 2026–27", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
            ("Q3 FY 2026–27", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
            ("Q4 FY 2026–27", dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        ]


def test_next_quarter_exists_before_it_starts(org_a):
    with scope(organization=org_a.org):
        ensure_current_and_next(org_a.org, dt.date(2027, 6, 20))  # Q4 of FY 2026
        assert Cycle.objects.filter(fiscal_year=2027, quarter=1).exists()  # next FY's Q1
        assert current_quarter(org_a.org, dt.date(2027, 6, 20)).status == "active"
        assert Cycle.objects.get(fiscal_year=2027, quarter=1).status == "planning"


def test_a_check_in_updates_the_key_result_and_the_measure(org_a, kr_response):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("8.9")),
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 6), value=D("8.6")),
        )
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert (kr.current_value, kr.score) == (D("8.6"), D("0.5"))
        values = dict(MeasureValue.objects.values_list("period", "value"))
        assert values == {dt.date(2026, 10, 1): D("8.9"), dt.date(2026, 11, 1): D("8.6")}
        assert MeasureValue.objects.get(period=dt.date(2026, 11, 1)).source == "key_results"


def test_editing_an_older_check_in_keeps_the_current_value_and_history(org_a, kr_response):
    with scope(organization=org_a.org):
        old = checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 2), value=D("9.0")),
        ).checkin
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("8.8")),
        )
        checkins.record(
            kr_response,
            org_a.editor,
            CheckInEntry(as_of=dt.date(2026, 10, 2), value=D("8.5")),
            checkin=old,
        )
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert kr.current_value == D("8.8")  # the older week's edit does not change it
        history = CheckIn.objects.get(pk=old.pk).history.order_by("history_date")
        assert [h.value for h in history] == [D("9.0"), D("8.5")]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"as_of": dt.date(2026, 9, 30), "value": D(9)}, "as_of", "Choose a date in Q2 FY 2026–27"),
        ({"as_of": dt.date(2026, 11, 30), "value": D(9)}, "as_of", "choose today or earlier"),
        ({"as_of": dt.date(2026, 11, 2)}, "value", "Enter the current value"),
    ],
)
def test_bad_check_ins_are_refused_and_change_nothing(org_a, kr_response, kwargs, field, message):
    with scope(organization=org_a.org):
        with pytest.raises(CheckInRefused) as error:
            checkins.record(kr_response, org_a.contributor, CheckInEntry(**kwargs))
        assert message in " ".join(error.value.message_dict[field])
        assert not CheckIn.objects.exists() and not MeasureValue.objects.exists()


def test_closed_cycle_refuses_check_ins(org_a, kr_response, quarter):
    quarter.status = "closed"
    quarter.save()
    with scope(organization=org_a.org), pytest.raises(CheckInRefused, match="closed"):
        checkins.record(
            kr_response, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=D(9))
        )


def test_qualitative_needs_evidence(org_a, okr):
    with scope(organization=org_a.org):
        kr = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Residents feel heard",
            kind="qualitative",
        )
        with pytest.raises(CheckInRefused) as error:
            checkins.record(
                kr, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 2), rubric_score=D("0.6"))
            )
        assert "evidence" in error.value.message_dict
        checkins.record(
            kr,
            org_a.editor,
            CheckInEntry(
                as_of=dt.date(2026, 11, 2),
                evidence="Ward 5 meeting: residents named officers by name.",
                rubric_score=D("0.6"),
            ),
        )
        assert KeyResult.objects.get(pk=kr.pk).score == D("0.6")


def test_objective_score_weighted_and_none_without_results(org_a, okr, kr_response, kr_patrols):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("7.0")),
        )
        checkins.record(
            kr_patrols, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=D(110))
        )
        KeyResult.objects.filter(pk=kr_patrols.pk).update(weight=3)
        results = list(KeyResult.objects.filter(objective=okr))
        # 1.0 (overshoot clamped) × 1 and 0.25 × 3 → 1.75 / 4
        assert objective_score_of(results) == D("0.4375")
        assert objective_score_of([]) is None


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("mean", "8.5"),
        ("sum", "17.0"),
        ("min", "8.2"),
        ("max", "8.8"),
        ("latest", "8.2"),
        ("score_mean", "0.5"),
    ],
)
def test_rollup_methods_end_to_end(org_a, okr, kr_response, response_measure, method, expected):
    with scopes_disabled():
        response_measure.rollup_method = method
        response_measure.save()
        second = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Priority-1 response in Ward 5",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="duration",
            start_value=D("9.6"),
            target_value=D("7.6"),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("8.8")),
        )
        checkins.record(
            second, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 9), value=D("8.2"))
        )
        # scores: (9.2−8.8)/1.2 = 1/3 and (9.6−8.2)/2 = 0.7 → mean ≈ 0.517
        value = MeasureValue.objects.get(period=dt.date(2026, 11, 1)).value
    if method == "score_mean":
        assert value == D("0.516667")  # 0.51666… rounded half up to the six places kept
    else:
        assert value == D(expected)


def test_recompute_rollups_command_rebuilds_values(org_a, kr_response):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("8.9")),
        )
        MeasureValue.objects.all().delete()
    call_command("recompute_rollups", "--slug", "alpha", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scope(organization=org_a.org):
        assert MeasureValue.objects.get().value == D("8.9")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_check_ins_feeding_one_measure_both_count(
    org_a, okr, kr_response, response_measure
):
    needs_service(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    with scopes_disabled():
        response_measure.rollup_method = "sum"
        response_measure.save()
        second = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Second feeder",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="duration",
            start_value=D(10),
            target_value=D(5),
            measure=response_measure,
        )
    barrier = threading.Barrier(2)
    errors = []

    def check_in(kr, value):
        try:
            org = Organization.objects.get(pk=org_a.org.pk)
            with scope(organization=org):
                kr = KeyResult.objects.select_related("organization", "objective").get(pk=kr.pk)
                barrier.wait(timeout=10)
                checkins.record(
                    kr, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=value)
                )
        except Exception as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=check_in, args=(kr_response, D("8.5"))),
        threading.Thread(target=check_in, args=(second, D("7.5"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    with scope(organization=org_a.org):
        assert MeasureValue.objects.get(period=dt.date(2026, 11, 1)).value == D(16)


def test_daily_cycle_task_fans_out_per_agency(org_a, org_b):
    from okrs.tasks import ensure_cycles_everywhere

    assert ensure_cycles_everywhere.apply().get() == 2
    ensure_cycles_everywhere.apply().get()  # twice: nothing duplicated
    for organization in (org_a, org_b):
        with scope(organization=organization.org):
            assert Cycle.objects.filter(kind="quarter", status="active").count() == 1
            assert Cycle.objects.count() in (5, 10)  # one or two fiscal years


def test_only_results_whose_quarter_overlaps_the_period_feed_it(
    org_a, okr, kr_response, response_measure
):
    """Last quarter's result (carried over into this quarter's) does not drag its final
    value into this quarter's months; each month is fed by the results of its own quarter.
    The per-check-in path and the bulk recompute agree."""
    from okrs.models import OkrObjective
    from okrs.rollup import recompute_rollups

    with scopes_disabled():
        q1 = Cycle.objects.get(organization=org_a.org, kind="quarter", fiscal_year=2026, quarter=1)
        earlier = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=q1,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title="Faster response (Q1)",
            strategic_objective=okr.strategic_objective,
        )
        last_quarter = KeyResult.objects.create(
            organization=org_a.org,
            objective=earlier,
            title="Respond in under 8.5 min",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="duration",
            start_value=D("9.6"),
            target_value=D("8.5"),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        checkins.record(
            last_quarter,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 9, 20), value=D("9.0")),
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("8.8")),
        )
        values = dict(MeasureValue.objects.values_list("period", "value"))
        assert values == {dt.date(2026, 9, 1): D("9.0"), dt.date(2026, 11, 1): D("8.8")}
        MeasureValue.objects.all().delete()
        recompute_rollups(org_a.org)
        assert dict(MeasureValue.objects.values_list("period", "value")) == values
        assert MeasureValue.objects.get(period=dt.date(2026, 11, 1)).note == (
            "Calculated from 1 key result(s)."
        )


def test_a_new_check_in_dated_before_the_current_one_does_not_replace_it(org_a, kr_response):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 16), value=D("8.6")),
        )
        late_entry = checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("9.1")),
        ).checkin
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert (kr.current_value, kr.current_as_of) == (D("8.6"), dt.date(2026, 11, 16))
        assert (kr_response.current_value, kr_response.score) == (D("8.6"), kr.score)
        # Same day: the one saved last is current.
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 16), value=D("8.4")),
        )
        assert KeyResult.objects.get(pk=kr_response.pk).current_value == D("8.4")
        # Editing the late entry to a later date makes it current.
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("9.1")),
            checkin=late_entry,
        )
        assert KeyResult.objects.get(pk=kr_response.pk).current_value == D("9.1")


def test_roll_up_values_are_rounded_half_up_to_the_places_a_value_keeps(response_measure):
    from okrs.calc import Feed
    from okrs.rollup import period_value

    def feed(value):
        return Feed(
            value=D(value),
            as_of=dt.date(2026, 11, 2),
            saved_at=None,
            score=D(0),
            weight=D(1),
            has_data=True,
        )

    assert period_value(response_measure, [feed("0.000001"), feed("0")]) == D("0.000001")
    assert period_value(response_measure, [feed("-0.000001"), feed("0")]) == D("-0.000001")
    assert period_value(response_measure, [feed("1"), feed("1"), feed("2")]) == D("1.333333")


def test_a_recompute_that_changes_nothing_writes_nothing(org_a, okr, kr_response, response_measure):
    """No history row and no write when the period's value stays what it was: a check-in
    that leaves the mean where it was, a second recompute of the same period, the nightly
    recompute of the whole agency."""
    from okrs.rollup import recompute_measure_for_day, recompute_rollups

    others = []
    with scopes_disabled():
        for n in (1, 2):
            others.append(
                KeyResult.objects.create(
                    organization=org_a.org,
                    objective=okr,
                    title=f"Ward {n} response",
                    owner=org_a.contributor,
                    kind="metric",
                    unit_kind="duration",
                    start_value=D("9.6"),
                    target_value=D("7.6"),
                    measure=response_measure,
                )
            )
    day = dt.date(2026, 11, 20)
    with scope(organization=org_a.org):
        for kr, value in zip([kr_response, *others], ["8.6", "2.3", "1.0"], strict=True):
            checkins.record(kr, org_a.contributor, CheckInEntry(as_of=day, value=D(value)))
        stored = MeasureValue.objects.get(measure=response_measure)
        assert stored.value == D("3.966667")  # 11.9 / 3
        written = stored.history.count()
        checkins.record(kr_response, org_a.contributor, CheckInEntry(as_of=day, value=D("8.6")))
        recompute_measure_for_day(response_measure.pk, day)
        assert recompute_rollups(org_a.org) == 0
        assert stored.history.count() == written
        checkins.record(kr_response, org_a.contributor, CheckInEntry(as_of=day, value=D("8.9")))
        assert stored.history.count() == written + 1
        assert MeasureValue.objects.get(measure=response_measure).value == D("4.066667")
