"""Page reads of ownership besides the coverage report (``report.py``): a member's
notifications and delivery preferences, and the check-in tally of the update workflow."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from okrs.models import CheckIn, Cycle, CycleKind, KeyResult
from ownership.alerts import DEFAULT_DELIVERY
from ownership.models import Alert, AlertKind, NotificationPreference
from strategyhub.models import User

NOTIFICATIONS_SHOWN = 200

# (name, check-ins received, check-ins expected, received share or None)
TallyRow = tuple[str, int, int, Decimal | None]


def _unread_count_sql() -> str:
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in Alert._meta.concrete_fields}
    # Names from the model's own metadata, quoted; the values are parameters.
    return (
        f"SELECT COUNT(*) FROM {quote(Alert._meta.db_table)} WHERE {column['organization']} = %s "  # noqa: S608
        f"AND {column['recipient']} = %s AND {column['read_at']} IS NULL "
        f"AND {column['resolved_at']} IS NULL"
    )


def unread_count(organization_id: int, user_id: int) -> int:
    """The member's unread, unresolved alerts in the agency: the header's bell on every
    staff page. ``Alert.objects.unread_for(user).count()`` in the scope gives the same number
    (``tests/ownership/test_unread_count.py``); written as one statement because the ORM
    compiled that count afresh on every page (~0.4 ms of CPU of a budget of ~15, issue 17).
    The agency is a parameter of the statement like the person: it reads nothing else."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_count_sql(), [organization_id, user_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def member_alerts(user: User) -> list[Alert]:
    """A member's alerts in the agency in scope: unread first, newest first."""
    return list(
        Alert.objects.filter(recipient=user).order_by("read_at", "-created_at")[
            :NOTIFICATIONS_SHOWN
        ]
    )


def current_preferences(user: User) -> dict[str, str]:
    """How the member gets each kind of alert: their choice, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[AlertKind(kind)]) for kind in AlertKind.values}


@dataclass
class CheckinTally:
    weeks: int  # weeks of the quarter so far
    this_week: dt.date | None  # its Monday
    by_unit: list[TallyRow]
    by_owner: list[TallyRow]
    missing: list[KeyResult]  # without a check-in this week


def checkin_tally(cycle: Cycle, today: dt.date) -> CheckinTally:
    """Weekly check-ins received against expected for the quarter's key results, by unit
    and by owner, and the results still missing this week's check-in. A result expects a
    check-in for each week from the one holding the later of the quarter's start and its
    own creation (``KeyResult.checkins_expected_from``)."""
    key_results = list(
        KeyResult.objects.filter(
            objective__cycle=cycle,
            archived_at=None,
            objective__archived_at=None,
            objective__cycle__kind=CycleKind.QUARTER,
        ).select_related("owner", "objective__unit")
    )
    zone = cycle.organization.tz
    weeks = []
    week_start = cycle.start - dt.timedelta(days=cycle.start.weekday())
    while week_start <= min(today, cycle.end):
        weeks.append(week_start)
        week_start += dt.timedelta(days=7)
    received = defaultdict(set)
    for kr_id, as_of in CheckIn.objects.filter(
        key_result__in=key_results, as_of__gte=cycle.start, as_of__lte=today
    ).values_list("key_result_id", "as_of"):
        received[kr_id].add(as_of - dt.timedelta(days=as_of.weekday()))
    this_week = weeks[-1] if weeks else None
    by_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_owner: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missing = []
    for kr in key_results:
        first_day = kr.checkins_expected_from(cycle.start, zone)
        first_week = first_day - dt.timedelta(days=first_day.weekday())
        owed = {week for week in weeks if week >= first_week}
        expected, got = len(owed), len(received[kr.pk] & owed)
        unit = kr.objective.unit.name if kr.objective.unit is not None else "No unit"
        owner = kr.owner.display_name if kr.owner is not None else "No owner"
        for bucket in (by_unit[unit], by_owner[owner]):
            bucket[0] += expected
            bucket[1] += got
        if this_week and this_week in owed and this_week not in received[kr.pk]:
            missing.append(kr)

    def rows(buckets: dict[str, list[int]]) -> list[TallyRow]:
        return [
            (name, got, expected, Decimal(got) / Decimal(expected) if expected else None)
            for name, (expected, got) in sorted(buckets.items())
        ]

    return CheckinTally(len(weeks), this_week, rows(by_unit), rows(by_owner), missing)
