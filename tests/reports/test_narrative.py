"""The narrative against a table of cases: direction-aware verbs, numbers as displayed
(never "better than 8.8" beside a shown 8.8), percentage points for shares, no percent
change from a zero, no data, stale, first period, range measures; every sentence 20 words
or fewer; plurals."""

from decimal import Decimal as D

import pytest

from reports import narrative
from reports.narrative import MeasureFacts
from scorecards.calc import Band, Polarity
from strategyhub.status import Status


def facts(**overrides):
    base = {
        "name": "Response time",
        "polarity": Polarity.LOWER,
        "unit_kind": "minutes",
        "rate_per": None,
        "decimals": 1,
        "status": Status.ON_TRACK,
        "current": D("8.6"),
        "current_label": "December 2026",
        "previous": D("9.2"),
        "expected": Band.point(D("8.8")),
    }
    base.update(overrides)
    return MeasureFacts(**base)


CASES = [
    # (overrides, the paragraph)
    ({}, "Response time fell 7%, from 9.2 min to 8.6 min, better than the 8.8 min planned."),
    (
        {"current": D("9.0"), "status": Status.AT_RISK},
        "Response time fell 2%, from 9.2 min to 9.0 min, above the 8.8 min planned. "
        "It is at risk: the miss is within its tolerance.",
    ),
    # Displayed 8.8 against 8.8 planned: "exactly", never "better than 8.8".
    (
        {"current": D("8.84")},
        "Response time fell 4%, from 9.2 min to 8.8 min, exactly the 8.8 min planned.",
    ),
    (
        {"current": D("8.76"), "expected": Band.point(D("8.8"))},
        "Response time fell 4%, from 9.2 min to 8.8 min, exactly the 8.8 min planned.",
    ),
    # Higher is better: a fall is reported as such and short of the plan.
    (
        {
            "name": "Officers trained",
            "polarity": Polarity.HIGHER,
            "unit_kind": "percent",
            "decimals": 0,
            "current": D(39),
            "previous": D(35),
            "expected": Band.point(D(48)),
            "status": Status.OFF_TRACK,
        },
        "Officers trained rose from 35% to 39%, up 4 points, short of the 48% planned. "
        "It is off track.",
    ),
    # A share: percentage points, even from zero.
    (
        {
            "name": "Uptake",
            "polarity": Polarity.HIGHER,
            "unit_kind": "percent",
            "decimals": 0,
            "current": D(12),
            "previous": D(0),
            "expected": Band.point(D(10)),
        },
        "Uptake rose from 0% to 12%, up 12 points, better than the 10% planned.",
    ),
    # A count from zero: no percent change.
    (
        {
            "name": "Community events",
            "polarity": Polarity.HIGHER,
            "unit_kind": "count",
            "decimals": 0,
            "current": D(14),
            "previous": D(0),
            "expected": Band.point(D(12)),
        },
        "Community events rose from 0 to 14, better than the 12 planned.",
    ),
    # Steady as displayed.
    (
        {"current": D("9.21"), "expected": Band.point(D("9.0")), "status": Status.AT_RISK},
        "Response time held steady at 9.2 min, above the 9.0 min planned. "
        "It is at risk: the miss is within its tolerance.",
    ),
    # A range measure, signed percent change unit: no percent of a percent.
    (
        {
            "name": "Budget variance",
            "polarity": Polarity.RANGE,
            "unit_kind": "percent_change",
            "current": D("2.8"),
            "previous": D("3.2"),
            "expected": Band(D(-2), D(3)),
        },
        "Budget variance fell from +3.2% to +2.8%, within the planned −2.0% to +3.0%.",
    ),
    (
        {
            "name": "Budget variance",
            "polarity": Polarity.RANGE,
            "unit_kind": "percent_change",
            "current": D("3.4"),
            "previous": D("3.2"),
            "expected": Band(D(-2), D(3)),
            "status": Status.OFF_TRACK,
        },
        "Budget variance rose from +3.2% to +3.4%, outside the planned −2.0% to +3.0%. "
        "It is off track.",
    ),
    # First period.
    (
        {"previous": None, "first_period": True},
        "Response time was 8.6 min in December 2026, its first reported value. "
        "That is better than the 8.8 min planned.",
    ),
    # No data.
    (
        {"current": None, "previous": None, "status": Status.NO_DATA},
        "No value of Response time has been reported yet.",
    ),
    # Stale.
    (
        {"status": Status.STALE, "current_label": "June 2026"},
        "Response time has not been updated since June 2026. "
        "Its last value, 8.6 min, is out of date.",
    ),
    # A rate.
    (
        {
            "name": "Violent crime rate",
            "unit_kind": "rate",
            "rate_per": 100000,
            "decimals": 0,
            "current": D(464),
            "previous": D(485),
            "expected": Band.point(D(461)),
            "status": Status.AT_RISK,
        },
        "Violent crime rate fell 4%, from 485 per 100,000 to 464 per 100,000, "
        "above the 461 per 100,000 planned. It is at risk: the miss is within its tolerance.",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), CASES)
def test_the_measure_paragraph_reads_as_in_the_table(overrides, expected):
    sentences = narrative.measure_sentences(facts(**overrides))
    assert " ".join(sentences) == expected
    assert all(narrative.words(s) <= narrative.MAX_WORDS for s in sentences)


def test_a_long_sentence_is_split_in_two():
    name = "Average response time to serious incidents in the priority districts of the city"
    sentences = narrative.measure_sentences(facts(name=name))
    assert sentences == [
        f"{name} was 8.6 min in December 2026.",
        "It fell 7%, from 9.2 min to 8.6 min.",
        "That is better than the 8.8 min planned.",
    ]
    assert all(narrative.words(s) <= narrative.MAX_WORDS for s in sentences)


def test_the_summary_counts_with_plurals_against_the_previous_period():
    sentences = narrative.summary_sentences(
        5,
        {"on_track": 1, "at_risk": 2, "off_track": 2},
        {"on_track": 3, "at_risk": 2},
        "Q4 FY 2025–26",
    )
    assert sentences == [
        "This report covers 5 measures.",
        "1 measure is on track, 2 fewer than in Q4 FY 2025–26.",
        "2 measures are at risk, the same as in Q4 FY 2025–26.",
        "2 measures are off track, 2 more than in Q4 FY 2025–26.",
    ]
    assert narrative.summary_sentences(1, {"no_data": 1}, None, "x") == [
        "This report covers 1 measure.",
        "1 measure has no data.",
    ]
    assert narrative.summary_sentences(0, {}, None, "x") == ["This report covers no measures."]


def test_okr_and_ownership_sentences():
    assert narrative.okr_sentences(1, 3, D("0.6333")) == [
        "1 of 3 OKR objectives scored 0.7 or more.",
        "The average score was 0.63, against 0.7 for success.",
    ]
    assert narrative.okr_sentences(1, 1, D(1))[0] == "1 of 1 OKR objective scored 0.7 or more."
    assert narrative.okr_sentences(0, 0, None) == ["No OKR objective was scored in this period."]
    assert narrative.ownership_sentences(3, 1, D("0.6667"), D(0)) == [
        "3 of 4 objectives and measures have an active owner.",
        "67% of owned items are on track, against 0% of unowned ones.",
    ]
    assert narrative.ownership_sentences(0, 0, None, None) == []


def test_the_likelihood_sentence_names_the_month_the_target_is_due():
    import datetime as dt

    due = dt.date(2031, 6, 30)
    assert narrative.likelihood_sentence("CIT", "likely", due) == (
        "CIT is likely to meet its target by June 2031."
    )
    assert narrative.likelihood_sentence("CIT", "not_enough_data", due) == (
        "There is not enough data to forecast CIT."
    )
