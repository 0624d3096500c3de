"""The active-owner rule against a table of cases."""

import datetime as dt

import pytest

from ownership.rules import Cadence, OwnerState, key_result_state, measure_state, owner_state

START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
MEMBERS = {1, 2}
CADENCE = Cadence(checkin_stale_days=14, measure_grace_days=15)


@pytest.mark.parametrize(
    ("owner", "state"),
    [(None, OwnerState.UNOWNED), (3, OwnerState.OWNER_INACTIVE), (1, OwnerState.ACTIVE)],
)
def test_owner_state(owner, state):
    assert owner_state(owner, MEMBERS) == state


@pytest.mark.parametrize(
    ("owner", "last", "today", "state"),
    [
        (None, dt.date(2026, 11, 20), dt.date(2026, 11, 22), OwnerState.UNOWNED),
        (
            3,
            dt.date(2026, 11, 20),
            dt.date(2026, 11, 22),
            OwnerState.OWNER_INACTIVE,
        ),  # wins over fresh
        (1, dt.date(2026, 11, 8), dt.date(2026, 11, 22), OwnerState.ACTIVE),  # exactly 14 days
        (1, dt.date(2026, 11, 7), dt.date(2026, 11, 22), OwnerState.STALE),  # 15 days
        (1, None, dt.date(2026, 10, 10), OwnerState.ACTIVE),  # new cycle, grace from its start
        (1, None, dt.date(2026, 10, 16), OwnerState.STALE),
        (1, dt.date(2026, 10, 2), dt.date(2027, 1, 20), OwnerState.ACTIVE),  # cycle over
    ],
)
def test_key_result_state(owner, last, today, state):
    assert key_result_state(owner, MEMBERS, last, START, END, today, CADENCE) == state


@pytest.mark.parametrize(
    ("owner", "overdue_since", "today", "state"),
    [
        (1, None, dt.date(2026, 11, 22), OwnerState.ACTIVE),
        (1, dt.date(2026, 10, 31), dt.date(2026, 11, 15), OwnerState.ACTIVE),  # within grace
        (1, dt.date(2026, 10, 31), dt.date(2026, 11, 16), OwnerState.STALE),
        (None, None, dt.date(2026, 11, 22), OwnerState.UNOWNED),
        (9, dt.date(2026, 10, 31), dt.date(2026, 11, 22), OwnerState.OWNER_INACTIVE),
    ],
)
def test_measure_state(owner, overdue_since, today, state):
    assert measure_state(owner, MEMBERS, overdue_since, today, CADENCE) == state
