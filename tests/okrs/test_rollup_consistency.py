"""The per-change roll-up (a check-in, a result's edit or archive, an objective's archive)
leaves every calculated measure value exactly where the nightly full recompute would put it:
after each change, ``recompute_rollups`` has nothing left to write.

A result's reading carries into the later months of its quarter (a month is fed by each
overlapping result's reading as of its end), and on a score-mean measure a result with no
check-in counts as a score of 0 — so a change reaches more periods than the ones its own
check-ins fall in."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.keyresults import key_result_changed, objective_archive_changed, rollup_inputs
from okrs.models import KeyResult, OkrObjective
from okrs.rollup import recompute_rollups
from scorecards import state
from scorecards.models import MeasureValue

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def values():
    return dict(MeasureValue.objects.order_by("period").values_list("period", "value"))


def assert_nightly_recompute_agrees(org):
    before = values()
    assert recompute_rollups(org) == 0, f"stale roll-up: {before} → {values()}"
    assert state.refresh_all() == 0, "a measure's stored state was stale"


@pytest.fixture
def ward(org_a, okr, response_measure):
    with scopes_disabled():
        return KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Ward 2 response",
            order=1,
            owner=org_a.contributor,
            kind="metric",
            unit_kind="minutes",
            start_value=D("10"),
            target_value=D("8"),
            measure=response_measure,
        )


def check_in(org_a, kr, day, value):
    return checkins.record(kr, org_a.contributor, CheckInEntry(as_of=day, value=D(value))).checkin


def test_a_back_dated_check_in_moves_the_later_months_it_carries_into(org_a, kr_response, ward):
    with scope(organization=org_a.org):
        check_in(org_a, ward, dt.date(2026, 11, 10), "8.0")
        assert values() == {NOV: D("8.0")}
        # The response result's October reading is its reading at the end of November too.
        check_in(org_a, kr_response, dt.date(2026, 10, 20), "9.0")
        assert values() == {OCT: D("9.0"), NOV: D("8.5")}
        assert_nightly_recompute_agrees(org_a.org)


def test_correcting_a_check_in_reaches_the_months_it_carried_into(org_a, kr_response, ward):
    with scope(organization=org_a.org):
        october = check_in(org_a, kr_response, dt.date(2026, 10, 20), "9.0")
        check_in(org_a, ward, dt.date(2026, 11, 10), "8.0")
        assert values() == {OCT: D("9.0"), NOV: D("8.5")}
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 20), value=D("10.0")),
            checkin=october,
        )
        assert values() == {OCT: D("10.0"), NOV: D("9.0")}
        assert_nightly_recompute_agrees(org_a.org)


def test_a_month_without_a_check_in_has_no_calculated_value(org_a, kr_response, ward):
    """A month's value exists when one of its results checked in that month: moving
    November's only check-in back into October leaves November without a value, not one
    carried from October's readings."""
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 10, 20), "9.0")
        november = check_in(org_a, kr_response, dt.date(2026, 11, 12), "8.8")
        assert values() == {OCT: D("9.0"), NOV: D("8.8")}
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 25), value=D("8.8")),
            checkin=november,
        )
        assert values() == {OCT: D("8.8")}
        assert_nightly_recompute_agrees(org_a.org)
        # The nightly recompute removes such a value too.
        MeasureValue.objects.create(
            organization=org_a.org,
            measure=kr_response.measure,
            period=NOV,
            value=D("8.8"),
            source="key_results",
        )
        assert recompute_rollups(org_a.org) == 1
        assert values() == {OCT: D("8.8")}


def test_editing_a_result_reaches_every_month_its_reading_feeds(
    org_a, kr_response, ward, response_measure
):
    response_measure.rollup_method = "score_mean"
    response_measure.unit_kind = "percent"
    response_measure.save()
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 10, 20), "8.6")  # half way: score 0.5
        check_in(org_a, ward, dt.date(2026, 11, 10), "8.0")  # target met: score 1
        assert values() == {OCT: D("25"), NOV: D("75")}
        before = rollup_inputs(kr_response)
        kr_response.target_value = D("8.6")  # now met as well
        with transaction.atomic():
            kr_response.save()
            key_result_changed(kr_response, before)
        assert values() == {OCT: D("50"), NOV: D("100")}
        assert_nightly_recompute_agrees(org_a.org)


def test_a_new_result_without_check_ins_counts_as_zero_in_a_score_mean(
    org_a, okr, kr_response, response_measure
):
    response_measure.rollup_method = "score_mean"
    response_measure.unit_kind = "percent"
    response_measure.save()
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        assert values() == {NOV: D("100")}
        with transaction.atomic():
            added = KeyResult.objects.create(
                organization=org_a.org,
                objective=okr,
                title="Ward 3 response",
                order=2,
                owner=org_a.contributor,
                kind="metric",
                unit_kind="minutes",
                start_value=D("10"),
                target_value=D("8"),
                measure=response_measure,
            )
            key_result_changed(added, None)
        assert values() == {NOV: D("50")}
        assert_nightly_recompute_agrees(org_a.org)
        # Archiving it (no check-ins either) takes its zero out again.
        before = rollup_inputs(added)
        added.archived_at = timezone.now()
        with transaction.atomic():
            added.save()
            key_result_changed(added, before)
        assert values() == {NOV: D("100")}
        assert_nightly_recompute_agrees(org_a.org)


def test_archiving_an_objective_reaches_results_without_check_ins(
    org_a, okr, quarter, objective_a, kr_response, response_measure
):
    response_measure.rollup_method = "score_mean"
    response_measure.unit_kind = "percent"
    response_measure.save()
    with scopes_disabled():
        other = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=quarter,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title="Staffing",
            strategic_objective=objective_a,
        )
        KeyResult.objects.create(
            organization=org_a.org,
            objective=other,
            title="Fill vacancies",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="number",
            start_value=D("0"),
            target_value=D("10"),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        assert values() == {NOV: D("50")}
        other.archived_at = timezone.now()
        with transaction.atomic():
            other.save()
            objective_archive_changed(other)
        assert values() == {NOV: D("100")}
        assert_nightly_recompute_agrees(org_a.org)


def test_archiving_the_only_result_that_checked_in_removes_the_value(org_a, kr_response):
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        before = rollup_inputs(kr_response)
        kr_response.archived_at = timezone.now()
        with transaction.atomic():
            kr_response.save()
            key_result_changed(kr_response, before)
        assert values() == {}
        assert_nightly_recompute_agrees(org_a.org)


def test_closing_a_quarter_carries_results_into_the_next_ones_score_mean(
    org_a, okr, objective_a, kr_response, response_measure
):
    """A result carried over into a quarter already under way counts (as 0, with no
    check-in yet) in the score mean of the months its new quarter checked in."""
    from okrs.models import Cycle
    from okrs.review import close_cycle

    response_measure.rollup_method = "score_mean"
    response_measure.unit_kind = "percent"
    response_measure.save()
    with scopes_disabled():
        q1 = Cycle.objects.get(organization=org_a.org, kind="quarter", fiscal_year=2026, quarter=1)
        summer = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=q1,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title="Summer response",
            strategic_objective=objective_a,
        )
        KeyResult.objects.create(
            organization=org_a.org,
            objective=summer,
            title="Respond in under 8.5 min",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="minutes",
            start_value=D("9.6"),
            target_value=D("8.5"),
            measure=response_measure,
            review_decision="carry_over",
        )
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        assert values() == {NOV: D("100")}
        assert close_cycle(q1, by=org_a.editor)["carried"] == 1
        assert values() == {NOV: D("50")}
        assert_nightly_recompute_agrees(org_a.org)
