"""OKR cycles (okrs/cycles.py): they follow the agency's fiscal year, the next quarter's
exists before it starts, and the daily task makes them everywhere."""

import datetime as dt

import pytest
from django_scopes import scope

from okrs.cycles import current_quarter, ensure_current_and_next, ensure_cycles
from okrs.models import Cycle

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_cycles_follow_the_fiscal_year(org_a):
    with scope(organization=org_a.org):
        cycles = ensure_cycles(org_a.org, 2026)
        again = ensure_cycles(org_a.org, 2026)
        assert [c.pk for c in cycles] == [c.pk for c in again]  # never duplicated
        assert [(c.label, c.start, c.end) for c in cycles] == [
            ("FY 2026–27", dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
            ("Q1 FY 2026–27", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            ("Q2 FY 2026–27", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
            ("Q3 FY 2026–27", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
            ("Q4 FY 2026–27", dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        ]


def test_next_quarter_exists_before_it_starts(org_a):
    with scope(organization=org_a.org):
        ensure_current_and_next(org_a.org, dt.date(2027, 6, 20))  # Q4 of FY 2026
        assert Cycle.objects.filter(fiscal_year=2027, quarter=1).exists()  # next FY's Q1
        assert current_quarter(org_a.org, dt.date(2027, 6, 20)).status == "active"
        assert Cycle.objects.get(fiscal_year=2027, quarter=1).status == "planning"


def test_daily_cycle_task_fans_out_per_agency(org_a, org_b):
    from okrs.tasks import ensure_cycles_everywhere

    assert ensure_cycles_everywhere.apply().get() == 2
    ensure_cycles_everywhere.apply().get()  # twice: nothing duplicated
    for organization in (org_a, org_b):
        with scope(organization=organization.org):
            assert Cycle.objects.filter(kind="quarter", status="active").count() == 1
            assert Cycle.objects.count() in (5, 10)  # one or two fiscal years
