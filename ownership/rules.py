"""The "active owner" rule, in one place (pure functions over plain values).

An item is
* **unowned** when it names no owner;
* **owner inactive** when the owner's account or membership in the agency is deactivated
  (an invitation that was never accepted leaves no account, so such a person cannot be
  named owner in the first place);
* **stale** when the owner has not updated it within its cadence: a key result in a running
  cycle without a check-in for ``checkin_stale_days`` days (counted from the cycle's start
  when it never had one), a measure without a value for a period that ended more than
  ``measure_grace_days`` ago;
* **active** otherwise.
Items that do not get updates (strategic objectives, OKR objectives) are active or not by
their owner alone.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class OwnerState(enum.StrEnum):
    UNOWNED = "unowned"
    OWNER_INACTIVE = "owner_inactive"
    STALE = "stale"
    ACTIVE = "active"


STATE_LABELS = {
    OwnerState.UNOWNED: "Unowned",
    OwnerState.OWNER_INACTIVE: "Owner inactive",
    OwnerState.STALE: "Stale",
    OwnerState.ACTIVE: "Active",
}


@dataclass(frozen=True)
class Cadence:
    checkin_stale_days: int = 14
    measure_grace_days: int = 15


def owner_state(owner_id: int | None, active_member_ids: set[int]) -> OwnerState:
    if owner_id is None:
        return OwnerState.UNOWNED
    if owner_id not in active_member_ids:
        return OwnerState.OWNER_INACTIVE
    return OwnerState.ACTIVE


def key_result_state(
    owner_id: int | None,
    active_member_ids: set[int],
    last_checkin: dt.date | None,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
    cadence: Cadence,
    expected_from: dt.date | None = None,
) -> OwnerState:
    """Stale when the last check-in (or, without one, the day check-ins became expected:
    ``expected_from``, the later of the cycle's start and the result's creation) is older
    than the cadence allows."""
    state = owner_state(owner_id, active_member_ids)
    if state != OwnerState.ACTIVE:
        return state
    if not cycle_start <= today <= cycle_end:
        return state  # only a running cycle expects check-ins
    since = last_checkin or max(cycle_start, expected_from or cycle_start)
    if (today - since).days > cadence.checkin_stale_days:
        return OwnerState.STALE
    return state


def measure_state(
    owner_id: int | None,
    active_member_ids: set[int],
    overdue_since: dt.date | None,
    today: dt.date,
    cadence: Cadence,
) -> OwnerState:
    """``overdue_since``: the end of the first period that should have a value and has
    none (None when the series is up to date)."""
    state = owner_state(owner_id, active_member_ids)
    if state != OwnerState.ACTIVE:
        return state
    if overdue_since is not None and (today - overdue_since).days > cadence.measure_grace_days:
        return OwnerState.STALE
    return state
