"""Issue 16: check-ins expected from when a key result exists (and its creation time
backfilled from history), coverage that can list what it promises, and the tie-break of
two check-ins of one date (the one created last, not the one edited last)."""

import datetime as dt
import importlib
import zoneinfo
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import calc, checkins, rollup
from okrs.checkins import CheckInEntry
from okrs.models import CheckIn, KeyResult, OkrObjective
from ownership.queries import checkin_tally
from ownership.rules import Cadence, OwnerState, key_result_state

UTC = dt.UTC


def _created(kr: KeyResult, when: dt.datetime) -> None:
    with scopes_disabled():
        KeyResult.objects.filter(pk=kr.pk).update(created_at=when)


# --- (8) Expected check-ins from the key result's creation ----------------------------------


def test_a_result_created_today_expects_nothing_for_past_weeks(
    org_a, quarter, kr_response, kr_patrols
):
    today = dt.date(2026, 11, 18)  # a Wednesday, seven weeks into Oct–Dec
    _created(kr_response, dt.datetime(2026, 9, 20, tzinfo=UTC))  # planned before the quarter
    _created(kr_patrols, dt.datetime(2026, 11, 18, 9, tzinfo=UTC))  # today
    with scopes_disabled():
        tally = checkin_tally(quarter, today)
    weeks = tally.weeks
    assert weeks > 1
    assert dict((name, (got, expected)) for name, got, expected, _ in tally.by_owner) == {
        org_a.contributor.display_name: (0, weeks + 1)  # all weeks, and this week for today's
    }
    with scopes_disabled():
        CheckIn.objects.create(organization=org_a.org, key_result=kr_patrols, as_of=today)
        tally = checkin_tally(quarter, today)
    assert [kr.pk for kr in tally.missing] == [kr_response.pk]
    # Today's result owes this week (now received), never the weeks before it existed.
    assert tally.by_owner[0][1:3] == (1, weeks + 1)


@pytest.mark.parametrize(
    ("created", "state"),
    [
        (dt.date(2026, 10, 1), OwnerState.STALE),  # no check-in for seven weeks
        (dt.date(2026, 11, 17), OwnerState.ACTIVE),  # created yesterday: nothing overdue
        (None, OwnerState.STALE),  # unknown: from the cycle's start
    ],
)
def test_overdue_counts_from_the_later_of_cycle_start_and_creation(created, state):
    assert (
        key_result_state(
            1,
            {1},
            None,
            dt.date(2026, 10, 1),
            dt.date(2026, 12, 31),
            dt.date(2026, 11, 18),
            Cadence(checkin_stale_days=10, measure_grace_days=30),
            expected_from=created,
        )
        == state
    )


def test_checkins_expected_from_reads_the_day_in_the_agency_zone(kr_response):
    kr_response.created_at = dt.datetime(2026, 11, 18, 2, tzinfo=UTC)  # 17 Nov in Chicago
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    assert kr_response.checkins_expected_from(dt.date(2026, 10, 1), chicago) == dt.date(
        2026, 11, 17
    )
    assert kr_response.checkins_expected_from(dt.date(2026, 12, 1), chicago) == dt.date(2026, 12, 1)


def test_the_backfill_takes_creation_from_history_else_the_cycle_start(
    org_a, quarter, kr_response, kr_patrols
):
    migration = importlib.import_module("okrs.migrations.0004_creation_times")
    with scopes_disabled():
        born = kr_response.history.get(history_type="+").history_date
        kr_patrols.history.all().delete()  # a result older than its history
        KeyResult.objects.update(created_at=dt.datetime(2030, 1, 1, tzinfo=UTC))
        assert migration.backfill_created_at(django_apps, None) == 2
        kr_response.refresh_from_db()
        kr_patrols.refresh_from_db()
    assert kr_response.created_at == born
    zone = org_a.org.tz
    assert kr_patrols.created_at == dt.datetime(
        quarter.start.year, quarter.start.month, quarter.start.day, tzinfo=zone
    )
    assert kr_patrols.checkins_expected_from(quarter.start, zone) == quarter.start


# --- (9) Coverage ----------------------------------------------------------------------------


def test_coverage_lists_unaligned_units_childless_agency_objectives_and_chain_links(
    client, org_a, quarter, objective_a
):
    def make(title, level, parent=None, linked=False):
        return OkrObjective.objects.create(
            organization=org_a.org,
            cycle=quarter,
            level=level,
            unit=org_a.unit if level != "agency" else None,
            title=title,
            parent=parent,
            strategic_objective=objective_a if linked else None,
        )

    with scopes_disabled():
        a1 = make("Safer streets", "agency", linked=True)
        make("Patrol hot spots", "unit", parent=a1)  # linked through its parent
        make("Cut response times", "agency", linked=True)  # no unit under it
        make("Unit on its own", "unit", linked=True)  # no parent
        team = make("Team goal", "team")
        make("Unit under a team", "unit", parent=team)  # parent below agency
        from okrs.queries import cascade_coverage

        coverage = cascade_coverage(quarter)
    assert [o.title for o in coverage["unit_unaligned"]] == ["Unit on its own", "Unit under a team"]
    assert [o.title for o in coverage["agency_without_units"]] == ["Cut response times"]
    assert (coverage["linked"], coverage["objectives"]) == (4, 6)
    client.force_login(org_a.viewer)
    body = client.get(reverse("okrs:coverage", args=["alpha", quarter.pk])).content.decode()
    listed = body.split("aligned to no agency objective")[1]
    assert "Unit under a team" in listed and "Patrol hot spots" not in listed
    assert "67%" in body


def test_coverage_follows_the_chain_into_another_cycle(org_a, quarter, objective_a):
    with scopes_disabled():
        from okrs.cycles import ensure_cycles
        from okrs.queries import cascade_coverage

        annual = ensure_cycles(org_a.org, 2026)[0]
        year = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=annual,
            level="agency",
            title="The year",
            strategic_objective=objective_a,
        )
        OkrObjective.objects.create(
            organization=org_a.org, cycle=quarter, level="unit", title="Q", parent=year
        )
        coverage = cascade_coverage(quarter)
    assert coverage["unit_unaligned"] == []
    assert (coverage["linked"], coverage["objectives"]) == (1, 1)


# --- Tie-break: two check-ins of one date --------------------------------------------------


def test_correcting_the_older_of_two_same_day_check_ins_leaves_the_newer_current(org_a, kr_patrols):
    day, today = dt.date(2026, 11, 6), dt.date(2026, 11, 20)
    with scope(organization=org_a.org):
        older = checkins.record(
            kr_patrols, org_a.contributor, CheckInEntry(as_of=day, value=D(110)), today=today
        ).checkin
        checkins.record(
            kr_patrols, org_a.contributor, CheckInEntry(as_of=day, value=D(120)), today=today
        )
        checkins.record(
            kr_patrols,
            org_a.contributor,
            CheckInEntry(as_of=day, value=D(111)),  # a typo fixed
            checkin=CheckIn.objects.get(pk=older.pk),
            today=today,
        )
        kr_patrols.refresh_from_db()
        assert kr_patrols.current_value == D(120)
        readings = rollup._readings(CheckIn.objects.filter(key_result=kr_patrols))[kr_patrols.pk]
        assert calc.current(readings).value == D(120)
        assert CheckIn.objects.filter(key_result=kr_patrols).first().value == D(120)


def test_current_breaks_ties_by_creation_not_by_edit():
    t0 = dt.datetime(2026, 11, 6, 9, tzinfo=UTC)
    first = calc.Reading(dt.date(2026, 11, 6), t0, D(1))
    second = calc.Reading(dt.date(2026, 11, 6), t0 + dt.timedelta(minutes=5), D(2))
    assert calc.current([second, first]).value == D(2)
    assert calc.current([first, calc.Reading(dt.date(2026, 11, 7), None, D(3))]).value == D(3)
