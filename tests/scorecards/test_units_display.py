"""Units on the staff pages: "1 day" (not "1 days"), chart ticks that never repeat, and
history rows whose values carry the measure's unit and decimals and whose fiscal years are
labelled as the targets table labels them."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from scorecards.models import Measure, MeasureTarget, MeasureValue
from strategyhub.ui import charts
from strategyhub.ui.formatting import format_quantity

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize(
    ("value", "decimals", "code", "text"),
    [
        ("1", 0, "days", "1 day"),
        ("0.6", 0, "days", "1 day"),  # shown as one: rounded first
        ("1", 1, "days", "1.0 days"),
        ("0", 0, "days", "0 days"),
        ("2", 0, "days", "2 days"),
        ("1.4", 0, "days", "1 day"),
        ("1.5", 0, "days", "2 days"),
        ("1", 0, "minutes", "1 min"),  # minutes and hours keep their symbols
        ("2", 0, "minutes", "2 min"),
        ("1", 0, "hours", "1 h"),
        ("2", 0, "hours", "2 h"),
        ("1", 0, "percent", "1%"),
        ("1", 0, "currency", "$1"),
    ],
)
def test_a_value_of_one_day_is_singular(value, decimals, code, text):
    assert format_quantity(D(value), decimals, code) == text


def _days_measure(org_a, objective_a, **fields):
    with scopes_disabled():
        return Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Days to close a case",
            unit_kind="days",
            decimals=0,
            polarity="lower",
            baseline_value=D(2),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D(1),
            tolerance=D(1),
            **fields,
        )


def test_the_measure_page_says_one_day(client, org_a, plan_a, objective_a):
    measure = _days_measure(org_a, objective_a)
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure.pk])).content.decode()
    assert "<dt>Tolerance</dt><dd>1 day</dd>" in page
    assert "1 days" not in page


@pytest.mark.parametrize(
    ("low", "high", "decimals"),
    [(0.9, 2.1, 0), (0.8, 2.2, 0), (-0.4, 0.4, 0), (9.95, 10.05, 1), (0.0, 8.0, 0), (3.0, 3.5, 0)],
)
def test_value_ticks_never_repeat_a_label(low, high, decimals):
    def label(value):
        return format_quantity(charts.tick_decimal(value), decimals, "days")

    ticks = charts.distinct_ticks(low, high, label)
    texts = [label(value) for value in ticks]
    assert ticks and len(set(texts)) == len(texts), texts
    assert all(low - 1e-9 <= value <= high + 1e-9 for value in ticks)
    assert len(ticks) <= 5


def test_ticks_that_read_apart_stay_evenly_spaced():
    assert charts.distinct_ticks(0.0, 8.0, lambda v: f"{v:.0f}") == charts.value_ticks(0.0, 8.0)


def test_the_staff_chart_repeats_no_tick_label(client, org_a, plan_a, objective_a):
    measure = _days_measure(org_a, objective_a)
    with scopes_disabled():
        for period, value in [(dt.date(2026, 8, 1), 2), (dt.date(2026, 9, 1), 1)]:
            MeasureValue.objects.create(
                organization=org_a.org, measure=measure, period=period, value=D(value)
            )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure.pk])).content.decode()
    svg = page[page.index('<svg class="sh-chart sh-chart--wide"') :]
    svg = svg[: svg.index("</svg>")]
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
    assert "1 day" in labels


def test_history_rows_show_values_in_the_measures_unit(client, org_a, plan_a, objective_a):
    with scopes_disabled():
        measure = Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Response time",
            unit_kind="minutes",
            decimals=1,
            polarity="lower",
            baseline_value=D(9),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D(7),
        )
    with scope(organization=org_a.org):
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure, period=dt.date(2026, 11, 1), value=D("8.9")
        )
        MeasureTarget.objects.create(
            organization=org_a.org,
            measure=measure,
            fiscal_year=2030,
            floor=D("7.4"),
            stretch=D("7.2"),
        )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure.pk])).content.decode()
    assert "Created November 2026: 8.9 min" in page
    assert "Created FY 2030–31: floor 7.4 min, stretch 7.2 min" in page
    assert "8.9000" not in page and "7.4000" not in page


def test_history_of_a_range_target_and_the_end_year_style(client, org_a, plan_a, objective_a):
    with scopes_disabled():
        org_a.org.fiscal_year_label_style = "end_year"
        org_a.org.save()
        measure = Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Share answered",
            unit_kind="percent",
            decimals=0,
            polarity="range",
            baseline_value=D(50),
            baseline_date=dt.date(2026, 6, 30),
            range_low=D(60),
            range_high=D(70),
            update_frequency="quarterly",
        )
    with scope(organization=org_a.org):
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure, period=dt.date(2026, 7, 1), value=D("55.4")
        )
        MeasureTarget.objects.create(
            organization=org_a.org,
            measure=measure,
            fiscal_year=2027,
            floor=D(58),
            range_high=D(68),
        )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure.pk])).content.decode()
    assert "Created Q1 FY 2027: 55%" in page
    assert "Created FY 2028: floor 58% to 68%" in page
