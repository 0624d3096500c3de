"""The demo with history (issue 16): relative to the seed day, the quarter before the running
one is closed with the police OKRs (reviewed, scores frozen, one result carried over), the
running quarter has this week's work, every key result was created at its quarter's start,
and each measure has a year of history that starts at its baseline and keeps to its bounds.
What the seed leaves is what the product's own actions make: recomputing it changes nothing.
"""

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope

from okrs import keyresults, rollup
from okrs.cycles import current_quarter, previous_quarter
from okrs.models import CheckIn, KeyResult, OkrObjective
from ownership.queries import checkin_tally
from scorecards.measures import out_of_bounds
from scorecards.models import Measure, MeasureValue, ValueOrigin, ValueSource
from strategyhub import fiscal
from strategyhub.models import Organization, User

CIT = "Officers with CIT certification"
RESPONSE = "Average response time to serious incidents"
CARRIED = "Complete a 2-week CIT module for 45 officers"
# A year of history, by update frequency (the running period not counted).
A_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}

pytestmark = pytest.mark.usefixtures("clock")


def seed() -> Organization:
    call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    return Organization.objects.get(slug="riverton")


def cycles(organization):
    today = organization.today()
    running = current_quarter(organization, today)
    return previous_quarter(running), running


# Days the demo may be seeded on: the suite's day (a Sunday in November), the first day of
# a quarter, a Monday in the first quarter of a fiscal year (the quarter before it is the
# last of the previous fiscal year, before the baseline's date), a quarter's last day.
SEED_DAYS = [
    dt.date(2026, 11, 22),
    dt.date(2026, 10, 1),
    dt.date(2026, 8, 3),
    dt.date(2027, 3, 31),
]


@pytest.mark.parametrize("day", SEED_DAYS, ids=str)
def test_the_demo_has_its_history_relative_to_the_seed_day(db, clock, day):
    clock.set(day)
    organization = seed()
    with scope(organization=organization):
        previous, running = cycles(organization)
        check_the_quarter_before(previous, running)
        check_this_weeks_work(running, day)
        check_creation_times(organization)
        check_measure_history(organization, day)
        check_the_cit_history()
        check_recomputing_changes_nothing(organization)


def check_the_quarter_before(previous, running):
    """Closed by the admin, every objective reviewed as proposed, every result frozen and
    decided, exactly one carried over into the running quarter."""
    assert previous.is_closed and previous.closed_by.email == "admin@riverton.example"
    objectives = list(OkrObjective.objects.filter(cycle=previous))
    assert len(objectives) == 3
    for objective in objectives:
        assert objective.status == "reviewed" and objective.lessons and objective.what_worked
        # Kept as proposed: the exact computed (frozen) score is the final one.
        assert objective.final_score is not None and objective.final_score == objective.score
    results = list(KeyResult.objects.filter(objective__cycle=previous))
    assert len(results) == 12
    assert all(kr.frozen_score is not None and kr.frozen_score == kr.score for kr in results)
    assert all(kr.review_decision for kr in results)
    carried = [kr for kr in results if kr.review_decision == "carry_over"]
    assert [kr.title for kr in carried] == [CARRIED]
    successor = KeyResult.objects.get(predecessor=carried[0])
    assert successor.objective.cycle == running
    assert successor.start_value == carried[0].current_value  # from where it stood
    assert KeyResult.objects.filter(objective__cycle=running, title=CARRIED).count() == 1
    assert KeyResult.objects.filter(objective__cycle=running).count() == 12
    # Checked in every week of the closed quarter, up to its last week.
    for kr in results:
        days = sorted(kr.checkins.values_list("as_of", flat=True))
        assert previous.end - days[-1] < dt.timedelta(days=7), kr.title
        assert all(b - a <= dt.timedelta(days=7) for a, b in itertools.pairwise(days)), kr.title


def check_this_weeks_work(running, day):
    """The contributor has checked in this week on most of their results; some are left."""
    contributor = User.objects.get(email="contributor@riverton.example")
    monday = day - dt.timedelta(days=day.weekday())
    mine = KeyResult.objects.filter(objective__cycle=running, owner=contributor)
    assert mine.filter(title=CARRIED).exists()
    this_week = CheckIn.objects.filter(
        key_result__in=mine, as_of__gte=max(monday, running.start), as_of__lte=day
    )
    assert this_week.values("key_result").distinct().count() >= 3
    assert not CheckIn.objects.filter(as_of__gt=day).exists()
    missing = checkin_tally(running, day).missing
    assert any(kr.owner_id == contributor.pk for kr in missing)  # this week's work to do
    if running.start <= monday - dt.timedelta(days=7):  # the weeks before: all checked in
        for kr in mine:
            weeks = {
                d - dt.timedelta(days=d.weekday())
                for d in kr.checkins.values_list("as_of", flat=True)
            }
            first = running.start - dt.timedelta(days=running.start.weekday())
            assert {first + dt.timedelta(weeks=n) for n in range((monday - first).days // 7)} <= (
                weeks
            ), kr.title


def check_creation_times(organization):
    """Each key result was created at the first moment of its quarter, in the agency's zone
    (so check-ins are owed from the quarter's start)."""
    results = list(KeyResult.objects.select_related("objective__cycle"))
    assert len(results) == 24
    for kr in results:
        start = kr.objective.cycle.start
        expected = dt.datetime.combine(start, dt.time.min, tzinfo=organization.tz)
        assert kr.created_at == expected, kr.title
        assert kr.checkins_expected_from(start, organization.tz) == start


def check_measure_history(organization, day):
    """At least a year of values before the running period, none after today, all within
    the measure's bounds, the baseline the value of the baseline's period when entered."""
    fy_month = organization.fiscal_year_start_month
    for measure in Measure.objects.all():
        frequency = fiscal.Frequency(measure.update_frequency)
        running = fiscal.period_start(day, frequency, fy_month)
        values = list(measure.values.all())
        assert len([v for v in values if v.period < running]) >= A_YEAR[frequency], measure.name
        assert all(v.period <= day for v in values), measure.name
        for value in values:
            assert out_of_bounds(measure, value.value) is None, (measure.name, value)
        baseline_period = fiscal.period_start(measure.baseline_date, frequency, fy_month)
        entered = {v.period: v.value for v in values if v.source == ValueOrigin.ENTERED}
        if baseline_period in entered:
            assert entered[baseline_period] == measure.baseline_value, measure.name


def check_the_cit_history():
    """Never below its baseline: entered values slide to it, the OKRs raise it since."""
    cit = Measure.objects.get(name=CIT)
    series = list(cit.values.order_by("period").values_list("period", "value", "source"))
    assert all(value >= cit.baseline_value for _, value, _ in series), series
    calculated = [value for _, value, source in series if source == ValueOrigin.KEY_RESULTS]
    assert calculated and calculated == sorted(calculated), series
    assert calculated[-1] > cit.baseline_value


def check_recomputing_changes_nothing(organization):
    """The seed went through the product's actions: the nightly recompute has nothing left
    to write, and keeps the entered history outside the results' quarters."""
    before = list(MeasureValue.objects.order_by("pk").values_list("pk", "period", "value"))
    assert rollup.recompute_rollups(organization) == 0
    assert keyresults.recompute_scores(organization) == 0
    after = list(MeasureValue.objects.order_by("pk").values_list("pk", "period", "value"))
    assert after == before


def test_the_fed_measures_were_entered_before_the_okrs_and_calculated_since(db):
    organization = seed()
    with scope(organization=organization):
        previous, _ = cycles(organization)
        for name in (CIT, RESPONSE):
            measure = Measure.objects.get(name=name)
            assert measure.value_source == ValueSource.CALCULATED
            sources = dict(measure.values.values_list("period", "source"))
            assert {s for p, s in sources.items() if p < previous.start} == {ValueOrigin.ENTERED}
            assert {s for p, s in sources.items() if p >= previous.start} == {
                ValueOrigin.KEY_RESULTS
            }
        # The response time starts the closed quarter at its baseline, and the running
        # quarter's result starts where the closed quarter's ended.
        closed, running = KeyResult.objects.filter(title__startswith="Respond to serious").order_by(
            "objective__cycle__start"
        )
        assert closed.start_value == Measure.objects.get(name=RESPONSE).baseline_value
        assert running.start_value == closed.current_value
        values = list(MeasureValue.objects.order_by("pk").values_list("pk", "period", "value"))
        scores = list(KeyResult.objects.order_by("pk").values_list("pk", "score", "frozen_score"))
    # The command (every agency, scores too) keeps the entered history and the roll-ups.
    call_command("recompute_rollups", stdout=StringIO())
    with scope(organization=organization):
        assert list(MeasureValue.objects.order_by("pk").values_list("pk", "period", "value")) == (
            values
        )
        assert (
            list(KeyResult.objects.order_by("pk").values_list("pk", "score", "frozen_score"))
            == scores
        )


def demo_rows(organization):
    """What the demo made for an agency, without its ids."""
    with scope(organization=organization):
        values = MeasureValue.objects.values_list("measure__name", "period", "value", "source")
        checkins = CheckIn.objects.values_list(
            "key_result__title",
            "key_result__objective__cycle__start",
            "as_of",
            "value",
            "done",
            "rubric_score",
            "confidence",
        )
        return sorted(values), sorted(checkins, key=str)


def test_seeding_again_adds_nothing_and_another_agency_gets_the_same_demo(db):
    riverton = seed()
    first = demo_rows(riverton)
    seed()
    assert demo_rows(riverton) == first
    call_command(
        "seed_demo",
        "--allow-known-passwords",
        "--slug",
        "lakeside",
        "--name",
        "Lakeside",
        stdout=StringIO(),
    )
    assert demo_rows(Organization.objects.get(slug="lakeside")) == first
