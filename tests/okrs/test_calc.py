"""OKR number rules, case by case (DESIGN.md §3)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from okrs.calc import (
    Feed,
    HoldDirection,
    Kind,
    KRSpec,
    Reading,
    Rollup,
    current,
    elapsed_share,
    forecast,
    objective_score,
    progress,
    rollup,
    score,
    status,
)
from strategyhub.status import Status

Q_START, Q_END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)  # Q1 of a July-start agency
T0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


def reading(value=None, day=dt.date(2026, 8, 1), minutes=0, **kw):
    return Reading(as_of=day, created_at=T0 + dt.timedelta(minutes=minutes), value=value, **kw)


RESPONSE = KRSpec(Kind.METRIC, start=D("9.2"), target=D("8.0"))  # lower is better
PATROLS = KRSpec(Kind.METRIC, start=D(100), target=D(140))
DEFICIT = KRSpec(Kind.METRIC, start=D("-12.5"), target=D("-2.5"))  # negative values


@pytest.mark.parametrize(
    ("spec", "value", "raw", "clamped"),
    [
        (PATROLS, "100", "0", "0"),
        (PATROLS, "120", "0.5", "0.5"),
        (PATROLS, "140", "1", "1"),
        (PATROLS, "160", "1.5", "1"),  # overshoot: shown 150%, scored 1
        (PATROLS, "90", "-0.25", "0"),  # the wrong way: shown −25%, scored 0
        (RESPONSE, "8.6", "0.5", "0.5"),  # lower is better
        (RESPONSE, "7.4", "1.5", "1"),
        (RESPONSE, "9.5", "-0.25", "0"),
        (DEFICIT, "-7.5", "0.5", "0.5"),  # negative values
        (DEFICIT, "-13.75", "-0.125", "0"),
        (KRSpec(Kind.METRIC, start=D("0.25"), target=D("0.75")), "0.375", "0.25", "0.25"),
    ],
)
def test_progress_and_score(spec, value, raw, clamped):
    assert progress(spec, D(value)) == D(raw)
    assert score(spec, reading(D(value))) == D(clamped)


def test_no_check_in_scores_zero_but_status_is_no_data():
    assert score(PATROLS, None) == 0
    assert status(PATROLS, None, Q_START, Q_END, dt.date(2026, 9, 1)) == Status.NO_DATA
    assert progress(PATROLS, None) is None


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        (HoldDirection.AT_LEAST, "95", 1),
        (HoldDirection.AT_LEAST, "95.0", 1),  # exactly on the line holds
        (HoldDirection.AT_LEAST, "94.9", 0),
        (HoldDirection.AT_MOST, "4", 1),
        (HoldDirection.AT_MOST, "4.1", 0),
    ],
)
def test_hold_the_line(direction, value, expected):
    threshold = D(95) if direction == HoldDirection.AT_LEAST else D(4)
    spec = KRSpec(Kind.HOLD, start=threshold, target=threshold, hold_direction=direction)
    assert score(spec, reading(D(value))) == expected
    assert progress(spec, D(value)) is None  # a zero range has no progress
    result = status(spec, reading(D(value)), Q_START, Q_END, dt.date(2026, 8, 1))
    assert result == (Status.ON_TRACK if expected else Status.OFF_TRACK)


def test_hold_without_a_threshold_never_holds():
    """A hold-the-line result saved without its threshold (the form requires one) scores 0
    rather than failing on the comparison."""
    spec = KRSpec(Kind.HOLD, hold_direction=HoldDirection.AT_LEAST)
    assert score(spec, reading(D(95))) == 0
    assert status(spec, reading(D(95)), Q_START, Q_END, dt.date(2026, 8, 1)) == Status.OFF_TRACK


def test_milestone_and_qualitative():
    milestone = KRSpec(Kind.MILESTONE, due=dt.date(2026, 8, 26))
    assert score(milestone, reading(done=True)) == 1
    assert score(milestone, reading(done=False)) == 0
    assert (
        status(milestone, reading(done=False), Q_START, Q_END, dt.date(2026, 8, 26))
        == Status.ON_TRACK
    )
    assert (
        status(milestone, reading(done=False), Q_START, Q_END, dt.date(2026, 8, 27))
        == Status.OFF_TRACK
    )
    assert (
        status(milestone, reading(done=True), Q_START, Q_END, dt.date(2026, 9, 30))
        == Status.ON_TRACK
    )
    quality = KRSpec(Kind.QUALITATIVE)
    assert score(quality, reading(rubric=D("0.6"))) == D("0.6")
    assert score(quality, reading(rubric=D("1.4"))) == 1


def test_current_value_is_the_latest_as_of_then_the_latest_saved():
    late_edit_of_old_week = reading(D(130), day=dt.date(2026, 7, 15), minutes=500)
    newest_week = reading(D(120), day=dt.date(2026, 8, 1), minutes=10)
    same_week_resaved = reading(D(125), day=dt.date(2026, 8, 1), minutes=20)
    assert current([late_edit_of_old_week, newest_week]).value == 120
    assert current([newest_week, same_week_resaved, late_edit_of_old_week]).value == 125
    assert current([]) is None


def test_objective_score_is_the_weighted_mean_of_clamped_scores():
    # 150% on one result does not make up for 0% on the other.
    assert objective_score([(D(1), D(1)), (D(0), D(1))]) == D("0.5")
    assert objective_score([(D(1), D(3)), (D(0), D(1))]) == D("0.75")
    assert objective_score([]) is None  # no key results: no score, left out of roll-ups


def test_objective_with_mixed_directions():
    up = score(PATROLS, reading(D(130)))  # 0.75
    down = score(RESPONSE, reading(D("8.9")))  # 0.25
    assert objective_score([(up, D(1)), (down, D(1))]) == D("0.5")


@pytest.mark.parametrize(
    ("day", "share"),
    [
        (dt.date(2026, 6, 1), "0"),  # before the cycle
        (dt.date(2026, 6, 30), "0"),
        (dt.date(2026, 7, 1), str(D(1) / D(92))),  # end of the first day
        (dt.date(2026, 8, 15), str(D(46) / D(92))),  # half-way
        (dt.date(2026, 9, 30), "1"),
        (dt.date(2026, 12, 1), "1"),  # after the cycle
    ],
)
def test_elapsed_share(day, share):
    assert elapsed_share(Q_START, Q_END, day) == D(share)


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        ("114", dt.date(2026, 8, 15), Status.ON_TRACK),  # 0.35 on the pace line (0.7 × 0.5)
        ("110", dt.date(2026, 8, 15), Status.ON_TRACK),  # 0.25: within the 0.1 slack
        ("109.6", dt.date(2026, 8, 15), Status.AT_RISK),  # 0.24
        ("102", dt.date(2026, 8, 15), Status.AT_RISK),  # 0.05: 0.3 below the line
        ("101.9", dt.date(2026, 8, 15), Status.OFF_TRACK),
        ("128", dt.date(2026, 9, 30), Status.ON_TRACK),  # 0.7 at the end is success
        ("124", dt.date(2026, 9, 30), Status.ON_TRACK),  # 0.6
        ("121", dt.date(2026, 9, 30), Status.AT_RISK),  # 0.525
        ("115", dt.date(2026, 9, 30), Status.OFF_TRACK),  # 0.375
        ("100", dt.date(2026, 7, 1), Status.ON_TRACK),  # nothing expected yet
    ],
)
def test_pace(value, today, expected):
    assert status(PATROLS, reading(D(value)), Q_START, Q_END, today) == expected


def test_forecast_straight_line():
    readings = [
        reading(D(110), day=dt.date(2026, 7, 11)),
        reading(D(120), day=dt.date(2026, 7, 21)),
    ]
    # +1 a day from 100 at the start: 191 on 30 September (day 91).
    assert forecast(PATROLS, readings, Q_START, Q_END) == D(191)
    one = [reading(D(110), day=dt.date(2026, 7, 11))]
    assert forecast(PATROLS, one, Q_START, Q_END) == D(191)  # from the start value
    assert forecast(PATROLS, [], Q_START, Q_END) is None
    edited = [*readings, reading(D(105), day=dt.date(2026, 7, 21), minutes=-5)]
    assert forecast(PATROLS, edited, Q_START, Q_END) == D(191)  # older save of a day ignored
    assert forecast(KRSpec(Kind.MILESTONE), [reading(done=True)], Q_START, Q_END) is None


def _feed(value, day, score_=D(0), weight=D(1), minutes=0, has_data=True):
    return Feed(
        value=None if value is None else D(value),
        as_of=day,
        created_at=T0 + dt.timedelta(minutes=minutes),
        score=score_,
        weight=weight,
        has_data=has_data,
    )


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Rollup.LATEST, "8.4"),
        (Rollup.SUM, "25.9"),
        (Rollup.MEAN, str(D("25.9") / 3)),
        (Rollup.MIN, "8.4"),
        (Rollup.MAX, "9.0"),
        (Rollup.SCORE_MEAN, "0.5"),
    ],
)
def test_rollup_methods(method, expected):
    feeds = [
        _feed("8.5", dt.date(2026, 8, 1), D("0.25")),
        _feed("9.0", dt.date(2026, 8, 8), D("0.75")),
        _feed("8.4", dt.date(2026, 8, 15), D("0.5")),
        _feed(None, None, D(0), has_data=False, weight=D(0)),
    ]
    assert rollup(method, feeds) == D(expected)


def test_rollup_without_data_is_none():
    assert rollup(Rollup.SUM, [_feed(None, None, has_data=False)]) is None
    assert rollup(Rollup.SCORE_MEAN, []) is None
