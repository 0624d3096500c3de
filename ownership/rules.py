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
from collections.abc import Callable
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
    judge = key_result_judge(active_member_ids, cycle_start, cycle_end, today, cadence)
    return judge(owner_id, last_checkin, expected_from)


def key_result_judge(
    active_member_ids: set[int],
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
    cadence: Cadence,
) -> Callable[[int | None, dt.date | None, dt.date | None], OwnerState]:
    """:func:`key_result_state` for the results of one cycle on one day, as a function of
    (owner, last check-in, ``expected_from``): what depends on the cycle and the day only is
    worked out once (a list judges a thousand results of one quarter)."""
    running = cycle_start <= today <= cycle_end  # only a running cycle expects check-ins
    # "older than the cadence allows": (today - since).days > checkin_stale_days
    stale_before = today - dt.timedelta(days=cadence.checkin_stale_days)
    unowned, inactive = OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE
    stale, active = OwnerState.STALE, OwnerState.ACTIVE

    def judge(
        owner_id: int | None, last_checkin: dt.date | None, expected_from: dt.date | None
    ) -> OwnerState:
        if owner_id is None:
            return unowned
        if owner_id not in active_member_ids:
            return inactive
        if not running:
            return active
        since = last_checkin or (
            expected_from if expected_from and expected_from > cycle_start else cycle_start
        )
        return stale if since < stale_before else active

    return judge


def measure_state(
    owner_id: int | None,
    active_member_ids: set[int],
    overdue_since: dt.date | None,
    today: dt.date,
    cadence: Cadence,
) -> OwnerState:
    """``overdue_since``: the end of the first period that should have a value and has
    none (None when the series is up to date)."""
    return measure_judge(active_member_ids, today, cadence)(owner_id, overdue_since)


def measure_judge(
    active_member_ids: set[int], today: dt.date, cadence: Cadence
) -> Callable[[int | None, dt.date | None], OwnerState]:
    """:func:`measure_state` for the measures of one agency on one day, as a function of
    (owner, ``overdue_since``), worked out once for a list of a thousand measures."""
    # "more than measure_grace_days ago": (today - overdue_since).days > measure_grace_days
    stale_before = today - dt.timedelta(days=cadence.measure_grace_days)
    unowned, inactive = OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE
    stale, active = OwnerState.STALE, OwnerState.ACTIVE

    def judge(owner_id: int | None, overdue_since: dt.date | None) -> OwnerState:
        if owner_id is None:
            return unowned
        if owner_id not in active_member_ids:
            return inactive
        if overdue_since is not None and overdue_since < stale_before:
            return stale
        return active

    return judge
