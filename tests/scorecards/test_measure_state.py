"""Each measure's stored state (``scorecards.state``): right after every kind of write, the
same as a full recompute, read by the list pages instead of values and targets."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from scorecards import calc, state
from scorecards.measures import record_value, save_yearly_targets
from scorecards.models import Measure, MeasureState, MeasureTarget, MeasureValue
from scorecards.queries import measures_with_recent_values, plan_overview, states_for
from scorecards.summary import objective_statuses, plan_summary
from strategyhub import fiscal
from strategyhub.status import Status

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def assert_consistent() -> None:
    """A full recompute of every stored state has nothing to change."""
    assert state.refresh_all() == 0


def stored(measure: Measure) -> MeasureState:
    with scopes_disabled():
        return MeasureState.objects.get(pk=measure.pk)


def test_the_fixture_measure_has_its_state_from_the_moment_it_has_a_value(measure_a):
    row = stored(measure_a)
    assert row.latest_period == dt.date(2026, 9, 1) and row.latest_value == D(470)
    # 470 against the straight path from 485 (June 2026) to 364 (June 2031) at end of Sept.
    assert row.comparison == Status.ON_TRACK
    assert row.progress == ((D(470) - D(485)) / (D(364) - D(485))).quantize(D("1e-16"))
    assert row.recent == [["2026-09-01", "470"]] or row.recent == [["2026-09-01", "470.000000"]]
    assert_consistent()


def test_entering_and_correcting_a_value_moves_the_state(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        details = dict(plan=plan_a, organization=org_a.org, user=org_a.editor, today=TODAY)
        record_value(measure_a, period=dt.date(2026, 10, 1), value=D(520), **details)
        row = stored(measure_a)
        assert row.latest_period == dt.date(2026, 10, 1) and row.comparison == Status.OFF_TRACK
        assert_consistent()
        record_value(
            measure_a, period=dt.date(2026, 10, 1), value=D(460), correction=True, **details
        )
        assert stored(measure_a).comparison == Status.ON_TRACK
        # No value a year earlier: against the first value inside the year, lower is better.
        assert stored(measure_a).trend == calc.Trend.IMPROVING
        assert stored(measure_a).trend_since == dt.date(2026, 9, 1)
        assert_consistent()


def test_deleting_the_latest_value_falls_back_to_the_one_before(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            user=None,
            period=dt.date(2026, 10, 1),
            value=D(450),
            today=TODAY,
        )
        MeasureValue.objects.filter(period=dt.date(2026, 10, 1)).delete()
    assert stored(measure_a).latest_period == dt.date(2026, 9, 1)
    assert_consistent()


def test_a_yearly_target_and_a_settings_edit_rejudge_the_latest_value(org_a, measure_a):
    with scope(organization=org_a.org):
        # An explicit floor of 460 for the fiscal year of September 2026 (Jul 2026–Jun 2027,
        # numbered by its first year) makes 470 miss it by 10 > 8.
        target = MeasureTarget.objects.create(
            organization=org_a.org, measure=measure_a, fiscal_year=2026, floor=D(460)
        )
        row = stored(measure_a)
        assert row.comparison == Status.OFF_TRACK and row.has_yearly_targets
        assert (row.expected_low, row.expected_high) == (D(460), D(460))
        assert_consistent()
        measure_a.tolerance = D(15)
        measure_a.save()
        assert stored(measure_a).comparison == Status.AT_RISK
        assert_consistent()
        target.delete()
        assert not stored(measure_a).has_yearly_targets
        assert_consistent()


def test_the_targets_form_service_refreshes_once(org_a, measure_a):
    from scorecards.forms import TargetForm

    with scope(organization=org_a.org):
        forms = [
            TargetForm(
                {f"fy{year}-floor": str(470 - 5 * (year - 2026))},
                prefix=f"fy{year}",
                instance=MeasureTarget(organization=org_a.org, measure=measure_a, fiscal_year=year),
                measure=measure_a,
            )
            for year in (2027, 2028, 2029)
        ]
        assert all(form.is_valid() for form in forms), [f.errors for f in forms]
        with CaptureQueriesContext(connection) as queries:
            save_yearly_targets(forms)
        state_reads = [q for q in queries.captured_queries if "scorecards_measurestate" in q["sql"]]
        assert len(state_reads) <= 2  # one refresh (read, write), not one per year
        assert stored(measure_a).has_yearly_targets
        assert_consistent()


def test_moving_the_plans_years_rejudges_against_the_new_path(org_a, plan_a, measure_a):
    """The five-year target falls due at the plan's end: a plan one year shorter makes the
    straight path steeper, so the same value is judged against a lower expected value."""
    before = stored(measure_a).expected_low
    with scope(organization=org_a.org):
        plan_a.last_fiscal_year -= 1
        plan_a.save()
    assert stored(measure_a).expected_low < before
    assert_consistent()


def test_deleting_a_measure_with_values_writes_no_state_for_it(org_a, objective_a):
    """The cascade deletes its values: their signals must not write a state row for the
    measure being deleted (``scorecards.receivers``, the origin check)."""
    with scope(organization=org_a.org):
        measure = Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Spare",
            polarity="higher",
            baseline_value=D(1),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D(2),
        )
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure, period=dt.date(2026, 9, 1), value=D(1)
        )
        with CaptureQueriesContext(connection) as queries:
            measure.delete()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "scorecards_measurestate" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert not writes
    with scopes_disabled():
        assert not MeasureState.objects.filter(pk=measure.pk).exists()


def test_a_target_a_hair_from_its_baseline_stores_a_huge_progress(org_a, plan_a, objective_a):
    with scope(organization=org_a.org):
        measure = Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Tiny span",
            polarity="higher",
            baseline_value=D(100),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D("100.000001"),
        )
        record_value(
            measure,
            plan=plan_a,
            organization=org_a.org,
            user=None,
            period=dt.date(2026, 10, 1),
            value=D("99999999999999"),
            today=TODAY,
        )
    assert stored(measure).progress == (D("99999999999999") - 100) / D("0.000001")
    assert_consistent()


def test_a_plan_edit_rejudges_only_when_its_years_move(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        plan_a.title = "Renamed"
        with CaptureQueriesContext(connection) as queries:
            plan_a.save()
    assert not any("scorecards_measurevalue" in q["sql"] for q in queries.captured_queries)


def test_migrate_fills_the_states_of_measures_that_have_none(measure_a):
    with scopes_disabled():
        MeasureState.objects.all().delete()
    assert state.fill_missing() == 1
    assert stored(measure_a).latest_value == D(470)
    assert state.fill_missing() == 0


def _locked(measure: Measure) -> Measure:
    """The measure as a roll-up locks it for ``state.locked``."""
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related(*state.LOCKED_RELATED, "organization")
        .get(pk=measure.pk)
    )


def test_values_a_writer_hands_over_are_used_and_a_later_write_drops_them(org_a, plan_a, measure_a):
    """``state.values_known``: the batch's refresh takes a locked measure's values from its
    writer instead of reading them again, unless another write to the measure follows."""
    details = dict(plan=plan_a, organization=org_a.org, user=org_a.editor, today=TODAY)
    with scope(organization=org_a.org):
        with CaptureQueriesContext(connection) as queries, state.batch():
            state.locked(_locked(measure_a))
            state.touched(measure_a.pk)
            # Not what the table holds (September's 470): the refresh must take these.
            state.values_known(measure_a.pk, [(dt.date(2026, 9, 1), D(480))])
        assert stored(measure_a).latest_value == D(480)
        assert not [q for q in queries.captured_queries if "measurevalue" in q["sql"]]
        assert state.refresh_all() == 1  # what a full recompute then puts right
        with state.batch():
            state.locked(_locked(measure_a))
            state.values_known(measure_a.pk, [(dt.date(2026, 9, 1), D(480))])
            record_value(measure_a, period=dt.date(2026, 10, 1), value=D(460), **details)
        row = stored(measure_a)
        assert (row.latest_period, row.latest_value) == (dt.date(2026, 10, 1), D(460))
        assert_consistent()


def test_values_handed_over_in_a_savepoint_that_rolls_back_are_not_used(org_a, plan_a, measure_a):
    """A hand-over made inside a savepoint that then rolls back describes writes that were
    undone: the batch's refresh reads the values instead (the reviewer's latent case)."""
    with scope(organization=org_a.org):
        with state.batch():
            state.locked(_locked(measure_a))
            state.touched(measure_a.pk)
            with contextlib.suppress(RuntimeError), transaction.atomic():
                state.values_known(measure_a.pk, [(dt.date(2026, 9, 1), D(480))])
                raise RuntimeError("undone")
        assert stored(measure_a).latest_value == D(470)  # the table's, not the hand-over's
        with state.batch():
            state.locked(_locked(measure_a))
            state.touched(measure_a.pk)
            with transaction.atomic():  # released, not rolled back: the hand-over stands
                state.values_known(measure_a.pk, [(dt.date(2026, 9, 1), D(480))])
        assert stored(measure_a).latest_value == D(480)
        assert state.refresh_all() == 1


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_measure_both_reach_its_state(org_a, plan_a, measure_a, monkeypatch):
    """Two value entries for one measure at once (PostgreSQL row locks): the second waits
    for the first, so the stored state holds both (the reviewer's reproduction: both read
    the values before either stores, without the lock)."""
    from tests.conftest import needs_service

    needs_service(connection.vendor == "postgresql", "PostgreSQL")
    import threading

    from strategyhub.models import Organization

    started = threading.Barrier(2)
    errors: list[Exception] = []

    def enter(period, value):
        try:
            organization = Organization.objects.get(pk=org_a.org.pk)
            with scope(organization=organization):
                measure = Measure.objects.select_related("objective__plan").get(pk=measure_a.pk)
                started.wait(timeout=10)
                record_value(
                    measure,
                    plan=measure.objective.plan,
                    organization=organization,
                    period=period,
                    value=value,
                    user=None,
                    today=TODAY,
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enter, args=(dt.date(2026, 10, 1), D(460))),
        threading.Thread(target=enter, args=(dt.date(2026, 11, 1), D(450))),
    ]
    original = state._computed

    def computed_slowly(measures, known=None):
        result = original(measures, known)
        import time

        time.sleep(0.3)  # both writers are inside their refresh at the same time
        return result

    monkeypatch.setattr(state, "_computed", computed_slowly)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.setattr(state, "_computed", original)
    assert not errors, errors
    assert stored(measure_a).latest_period == dt.date(2026, 11, 1)
    assert_consistent()


def test_pages_read_the_stored_state_and_derive_staleness_from_today(
    org_a, plan_a, measure_a, settings
):
    with scope(organization=org_a.org):
        measures = list(measures_with_recent_values(Measure.objects.all()))
        with CaptureQueriesContext(connection) as queries:
            states = states_for(measures, plan_a, org_a.org, dt.date(2026, 10, 20), series=False)
        assert not any("scorecards_measurevalue" in q["sql"] for q in queries.captured_queries)
        assert states[measure_a.pk].status == Status.ON_TRACK
        # October ended without a value: stale on 22 November, from the same stored row.
        later = states_for(measures, plan_a, org_a.org, TODAY, series=False)
        assert later[measure_a.pk].status == Status.STALE
        assert later[measure_a.pk].assessment.comparison == Status.ON_TRACK


def test_a_missing_state_is_computed_on_read_and_logged(org_a, plan_a, measure_a, caplog):
    with scopes_disabled():
        MeasureState.objects.all().delete()
    with scope(organization=org_a.org):
        measures = list(measures_with_recent_values(Measure.objects.all()))
        states = states_for(measures, plan_a, org_a.org, TODAY)
    assert states[measure_a.pk].assessment.latest_value == D(470)
    assert "without a stored state" in caplog.text
    with scopes_disabled():
        assert not MeasureState.objects.exists()  # a read writes nothing
    assert state.refresh_all() == 1


def test_the_measure_page_and_the_lists_agree(client, org_a, plan_a, measure_a, clock):
    """On 20 October the September value is current: the perspective list (stored state)
    and the measure page (its values) show the same status and progress, and a corrupted
    stored comparison would show on the list."""
    clock.set(dt.date(2026, 10, 20))
    client.force_login(org_a.viewer)
    measure_url = reverse("scorecards:measure", args=["alpha", measure_a.pk])
    list_url = reverse("scorecards:perspective", args=["alpha", measure_a.objective.perspective_id])
    page = client.get(measure_url).content.decode()
    listing = client.get(list_url).content.decode()
    with scope(organization=org_a.org):
        measures = list(measures_with_recent_values(Measure.objects.all()))
        listed = states_for(measures, plan_a, org_a.org, dt.date(2026, 10, 20))[measure_a.pk]
    assert listed.status == Status.ON_TRACK
    row = listing[listing.index("Violent crime rate") :].split("</tr>")[0]
    assert "On track" in row and listed.progress_text() in row
    assert "On track" in page and listed.progress_text() in page
    with scopes_disabled():
        MeasureState.objects.filter(pk=measure_a.pk).update(comparison=Status.OFF_TRACK)
    from django.core.cache import cache

    cache.clear()
    row = client.get(list_url).content.decode()
    row = row[row.index("Violent crime rate") :].split("</tr>")[0]
    assert "Off track" in row  # the list reads the stored state, not the values


@pytest.mark.parametrize("frequency", list(fiscal.Frequency))
def test_stale_before_is_is_stale_for_every_month_start_and_day(frequency):
    """The list pages' one comparison (``calc.stale_before``) says what ``calc.is_stale``
    says for every month start — aligned to the frequency or not (a measure whose frequency
    changed keeps its older values) — on every day of two years."""
    day = dt.date(2026, 1, 1)
    for offset in range(730):
        today = day + dt.timedelta(days=offset)
        cutoff = calc.stale_before(frequency, today)
        period = dt.date(2024, 1, 1)
        while period <= today:
            assert (period < cutoff) == calc.is_stale(period, frequency, today), (period, today)
            period = fiscal.add_months(period, 1)


def test_a_measure_switched_to_quarterly_is_judged_alike_on_every_page(
    org_a, plan_a, measure_a, clock
):
    """A September value of a measure made quarterly afterwards: on 15 January the measure
    page, the plan summary and the ownership report all say on track."""
    from ownership.report import collect_items
    from scorecards.queries import measure_page

    with scope(organization=org_a.org):
        measure_a.update_frequency = "quarterly"
        measure_a.save()
        today = dt.date(2027, 1, 15)
        clock.set(today)
        measure = Measure.objects.prefetch_related("targets").get(pk=measure_a.pk)
        page = measure_page(measure, plan_a, org_a.org, today).state.status
        summary = plan_summary(plan_a, org_a.org, today).status_counts
        owned = {(i.type, i.id): i for i in collect_items(org_a.org, today)}
    assert page == Status.ON_TRACK
    assert summary == {Status.ON_TRACK.value: 1}
    assert owned["measure", measure_a.pk].status == Status.ON_TRACK


def test_the_summary_and_the_full_overview_count_the_same_statuses(
    org_a, plan_a, objective_a, measure_a
):
    """The large scorecard's summary (rows) and the full overview (states) agree."""
    with scope(organization=org_a.org):
        for i, (frequency, month, value) in enumerate(
            [
                ("monthly", 10, "460"),
                ("quarterly", 7, "600"),
                ("annual", 7, "470"),
                ("monthly", 8, "1"),
            ]
        ):
            measure = Measure.objects.create(
                organization=org_a.org,
                objective=objective_a,
                name=f"M{i}",
                polarity="lower",
                baseline_value=D(485),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(364),
                update_frequency=frequency,
            )
            MeasureValue.objects.create(
                organization=org_a.org,
                measure=measure,
                period=fiscal.period_start(dt.date(2026, month, 1), fiscal.Frequency(frequency), 7),
                value=D(value),
            )
        Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="No value",
            polarity="higher",
            baseline_value=D(1),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D(2),
        )
        full = plan_overview(plan_a, org_a.org, TODAY)
        summary = plan_summary(plan_a, org_a.org, TODAY)
        map_statuses = objective_statuses(plan_a, TODAY)
    # The strategy map's colours (rows) are the full overview's objective statuses.
    assert map_statuses == {
        row.objective.pk: row.status for block in full.perspectives for row in block.objectives
    }
    assert summary.status_counts == {
        k.value if hasattr(k, "value") else k: v for k, v in full.status_counts.items()
    }
    assert sum(summary.status_counts.values()) == 6
    assert len(summary.status_counts) >= 3  # a mix: on track, off track, stale, no data
