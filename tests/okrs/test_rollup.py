"""The roll-up of key results into the measures they feed (okrs/rollup.py), and the
objective score (okrs/keyresults.py)."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.keyresults import objective_score_of
from okrs.models import Cycle, KeyResult
from scorecards.models import MeasureValue
from strategyhub.models import Organization
from tests.conftest import needs_service

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


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
            unit_kind="minutes",
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
            unit_kind="minutes",
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
            unit_kind="minutes",
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


def test_roll_up_values_are_rounded_half_up_to_the_places_a_value_keeps(response_measure):
    from okrs.calc import Feed
    from okrs.rollup import period_value

    def feed(value):
        return Feed(
            value=D(value),
            as_of=dt.date(2026, 11, 2),
            created_at=None,
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
                    unit_kind="minutes",
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
