"""The agency's OKR cycles: the fiscal year's annual cycle and its four quarters, created
ahead of time, started when they begin, and rebuilt when the fiscal year moves. Their
dates come from the fiscal calendar (``strategyhub.fiscal``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from okrs.models import Cycle, CycleKind, CycleStatus
from strategyhub import fiscal, signals
from strategyhub.models import Organization


@transaction.atomic
def ensure_cycles(organization: Organization, fiscal_year: int) -> list[Cycle]:
    """The fiscal year's annual cycle and four quarters, created once (idempotent)."""
    year = fiscal.fiscal_year(fiscal_year, organization.fiscal_year_start_month)
    cycles = []
    for quarter in [None, 1, 2, 3, 4]:
        period = year if quarter is None else year.quarter(quarter)
        cycle, _ = Cycle.objects.get_or_create(
            organization=organization,
            kind=CycleKind.ANNUAL if quarter is None else CycleKind.QUARTER,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={"start": period.start, "end": period.end},
        )
        cycles.append(cycle)
    return cycles


@transaction.atomic
def ensure_current_and_next(organization: Organization, today: dt.date | None = None) -> None:
    """Make sure this quarter's and next quarter's cycles exist, and that the cycles
    containing today are active (planning ones only: review and closing are decisions)."""
    today = today or organization.today()
    fy_month = organization.fiscal_year_start_month
    this_year = fiscal.fiscal_year_of(today, fy_month)
    next_quarter_start = fiscal.fiscal_quarter_containing(today, fy_month).end + dt.timedelta(
        days=1
    )
    for year in sorted({this_year, fiscal.fiscal_year_of(next_quarter_start, fy_month)}):
        ensure_cycles(organization, year)
    started = Cycle.objects.filter(
        status=CycleStatus.PLANNING, start__lte=today, end__gte=today
    ).update(status=CycleStatus.ACTIVE)
    if started:
        signals.changed(organization.pk, "okrs.Cycle")


@transaction.atomic
def rebuild_cycles(organization: Organization) -> None:
    """After the agency's fiscal year moved (only while no objective is laid out on it):
    the empty cycles of the old calendar go, this and next quarter's come on the new one."""
    with scope(organization=organization):
        Cycle.objects.filter(organization=organization).delete()
        ensure_current_and_next(organization)


def current_quarter(organization: Organization, today: dt.date | None = None) -> Cycle | None:
    """The quarter containing today (None when its cycles were not created yet)."""
    today = today or organization.today()
    return Cycle.objects.filter(kind=CycleKind.QUARTER, start__lte=today, end__gte=today).first()


def current_quarter_or_create(organization: Organization, today: dt.date) -> Cycle:
    """The running quarter; created on demand when the daily job has not run yet."""
    cycle = current_quarter(organization, today)
    if cycle is None:
        ensure_current_and_next(organization, today)
        cycle = current_quarter(organization, today)
    if cycle is None:  # cannot happen: ensure_current_and_next creates today's quarter
        raise Cycle.DoesNotExist(f"No quarter contains {today}.")
    return cycle


def next_quarter(cycle: Cycle) -> Cycle:
    """The quarter after ``cycle`` (created with its fiscal year when missing)."""
    organization = cycle.organization
    day = cycle.end + dt.timedelta(days=1)
    fiscal_year = fiscal.fiscal_year_of(day, organization.fiscal_year_start_month)
    ensure_cycles(organization, fiscal_year)
    return Cycle.objects.get(kind=CycleKind.QUARTER, start=day, fiscal_year=fiscal_year)


def previous_quarter(cycle: Cycle) -> Cycle:
    """The quarter before ``cycle`` (created with its fiscal year when missing)."""
    organization = cycle.organization
    day = cycle.start - dt.timedelta(days=1)
    fiscal_year = fiscal.fiscal_year_of(day, organization.fiscal_year_start_month)
    ensure_cycles(organization, fiscal_year)
    return Cycle.objects.get(kind=CycleKind.QUARTER, end=day, fiscal_year=fiscal_year)
