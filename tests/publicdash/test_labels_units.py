"""The public pages name periods and show units as the staff pages do: a quarterly value is
"Q1 FY 2026–27", not "July 2026" (in the document, the pages and data.csv); one date style;
"1 day"; a measure's name keeps its case; the chart's value axis carries the unit and its
target marker is the legend's diamond."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from publicdash.charts import public_chart
from publicdash.models import Publication
from publicdash.publishing import publish
from publicdash.views.public import CSV_HEADER
from scorecards.models import Measure, MeasureValue
from strategyhub.ui.charts import TARGET
from tests.conftest import clear_worker_cache

# 22 November 2026 (tests/conftest.py); agency A's fiscal year starts in July.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_worker_cache()


def _make(org_a, objective_a, name, *, values=(), **fields):
    fields = {
        "unit_kind": "percent",
        "decimals": 0,
        "polarity": "higher",
        "baseline_value": D(40),
        "baseline_date": dt.date(2026, 6, 30),
        "target_value": D(60),
        **fields,
    }
    with scopes_disabled():
        measure = Measure.objects.create(
            organization=org_a.org, objective=objective_a, name=name, **fields
        )
        for period, value in values:
            MeasureValue.objects.create(
                organization=org_a.org, measure=measure, period=period, value=D(value)
            )
    return measure


def _publish(org_a):
    with scopes_disabled():
        return publish(org_a.org, by=org_a.admin)


def _doc_measure(document, name):
    return next(
        m
        for p in document["plan"]["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
        if m["name"] == name
    )


def _csv_rows(client, measure_id):
    url = reverse("public:measure_csv", args=["alpha", measure_id])
    return list(csv.reader(io.StringIO(client.get(url).content.decode())))


def _y_labels(svg: str) -> list[str]:
    """The value labels of every drawing of the chart (wide and narrow)."""
    return re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)


def _drawings(svg: str) -> list[str]:
    """Each drawing of a chart (``strategyhub.ui.charts.responsive``: wide, narrow)."""
    return re.findall(r"<svg\b.*?</svg>", svg, re.S)


# --- Period labels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "style", "period", "label"),
    [
        ("monthly", "span", dt.date(2026, 9, 1), "September 2026"),
        ("quarterly", "span", dt.date(2026, 7, 1), "Q1 FY 2026–27"),
        ("quarterly", "span", dt.date(2026, 10, 1), "Q2 FY 2026–27"),
        ("quarterly", "end_year", dt.date(2026, 7, 1), "Q1 FY 2027"),
        ("annual", "span", dt.date(2025, 7, 1), "FY 2025–26"),
        ("annual", "end_year", dt.date(2025, 7, 1), "FY 2026"),
    ],
)
def test_each_period_is_named_as_the_staff_pages_name_it(
    client, org_a, plan_a, objective_a, frequency, style, period, label
):
    with scopes_disabled():
        org_a.org.fiscal_year_label_style = style
        org_a.org.save()
    _make(org_a, objective_a, "Clearance share", update_frequency=frequency, values=[(period, 44)])
    measure = _doc_measure(_publish(org_a).document, "Clearance share")
    assert [point["label"] for point in measure["series"]] == [label]
    assert measure["latest"]["label"] == label
    assert f"was 44% in {label}," in measure["sentence"]

    page = client.get(reverse("public:measure", args=["alpha", measure["id"]])).content.decode()
    assert f'<th scope="row">{label}</th>' in page
    home = client.get(reverse("public:home", args=["alpha"])).content.decode()
    assert f'<span class="font-sans-3xs">{label}</span>' in home

    rows = _csv_rows(client, measure["id"])
    assert rows[0] == CSV_HEADER and rows[0][-1] == "period_label"
    assert rows[0][:14] == CSV_HEADER[:14] and rows[0][7] == "period"  # old columns kept
    assert [row[-1] for row in rows[1:]] == [label]
    assert [row[7] for row in rows[1:]] == [period.isoformat()]


def test_an_old_document_without_labels_still_renders(client, org_a, plan_a, objective_a):
    """Editions may lack a point's label: the pages and data.csv name it by its month."""
    _make(
        org_a,
        objective_a,
        "Clearance share",
        update_frequency="quarterly",
        values=[(dt.date(2026, 7, 1), 44)],
    )
    publication = _publish(org_a)
    document = publication.document
    measure = _doc_measure(document, "Clearance share")
    for point in [*measure["series"], measure["latest"]]:
        point.pop("label")
    with scopes_disabled():
        Publication.objects.filter(pk=publication.pk).update(document=document)
    clear_worker_cache()
    page = client.get(reverse("public:measure", args=["alpha", measure["id"]]))
    assert page.status_code == 200
    assert '<th scope="row">July 2026</th>' in page.content.decode()
    home = client.get(reverse("public:home", args=["alpha"]))
    assert home.status_code == 200 and "July 2026" in home.content.decode()
    assert [row[-1] for row in _csv_rows(client, measure["id"])[1:]] == ["July 2026"]


def test_dates_shown_to_residents_share_the_long_style(client, org_a, plan_a, measure_a):
    measure = _doc_measure(_publish(org_a).document, "Violent crime rate")
    page = client.get(reverse("public:measure", args=["alpha", measure["id"]])).content.decode()
    assert "(June 30, 2026)" in page  # the baseline's date
    assert "by June 30, 2031" in page  # the five-year target's
    assert re.search(r"last value entered [A-Z][a-z]+ \d{1,2}, \d{4}<", page)
    assert not re.search(r">[^<]*\b\d{4}-\d{2}-\d{2}\b", page)  # no ISO date in the text


# --- Units and names ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [("1", "1 day"), ("2", "2 days"), ("0", "0 days")])
def test_days_pluralise_in_the_public_sentence(client, org_a, plan_a, objective_a, value, text):
    _make(
        org_a,
        objective_a,
        "Days to close a case",
        unit_kind="days",
        polarity="lower",
        baseline_value=D(3),
        target_value=D(1),
        values=[(dt.date(2026, 10, 1), value)],
    )
    measure = _doc_measure(_publish(org_a).document, "Days to close a case")
    assert measure["sentence"].startswith(f"Days to close a case was {text} in October 2026")
    assert measure["latest"]["display"] == text


def test_a_measure_without_values_keeps_the_case_of_its_name(client, org_a, plan_a, objective_a):
    _make(org_a, objective_a, "T minutesBase (CIT)", unit_kind="minutes")
    measure = _doc_measure(_publish(org_a).document, "T minutesBase (CIT)")
    assert measure["sentence"] == "T minutesBase (CIT): no value has been reported yet."
    page = client.get(reverse("public:measure", args=["alpha", measure["id"]])).content.decode()
    assert "t minutesbase" not in page


@pytest.mark.parametrize(
    ("unit_kind", "fields", "values", "mark"),
    [
        ("percent_change", {"baseline_value": D("-1"), "target_value": D(3)}, ["2.8"], "%"),
        ("percent", {}, ["44"], "%"),
        ("currency", {"baseline_value": D(900), "target_value": D(1200)}, ["950"], "$"),
        (
            "minutes",
            {"polarity": "lower", "baseline_value": D(9), "target_value": D(7)},
            ["8"],
            " min",
        ),
        ("hours", {"polarity": "lower", "baseline_value": D(9), "target_value": D(7)}, ["8"], " h"),
    ],
)
def test_the_public_chart_axis_carries_the_unit(
    org_a, plan_a, objective_a, unit_kind, fields, values, mark
):
    _make(
        org_a,
        objective_a,
        "Charted",
        unit_kind=unit_kind,
        decimals=1,
        values=[(dt.date(2026, 9, 1), v) for v in values],
        **fields,
    )
    labels = _y_labels(public_chart(_doc_measure(_publish(org_a).document, "Charted")))
    assert labels and all(mark in label for label in labels), labels


def test_an_old_documents_axis_carries_its_free_text_label(org_a, plan_a, measure_a):
    measure = _doc_measure(_publish(org_a).document, "Violent crime rate")
    measure.pop("unit_code"), measure.pop("rate_per")
    measure["unit"], measure["unit_label"] = "Duration", "min"
    labels = _y_labels(public_chart(measure))
    assert labels and all(label.endswith(" min") for label in labels), labels


def test_day_ticks_never_repeat_on_the_public_chart(org_a, plan_a, objective_a):
    """0 decimals, values 1–2 days: five evenly spaced ticks would read "1 day" twice."""
    _make(
        org_a,
        objective_a,
        "Days to close a case",
        unit_kind="days",
        polarity="lower",
        baseline_value=D(2),
        target_value=D(1),
        values=[(dt.date(2026, 9, 1), "2"), (dt.date(2026, 10, 1), "1")],
    )
    chart = public_chart(_doc_measure(_publish(org_a).document, "Days to close a case"))
    assert len(_drawings(chart)) == 2
    for drawing in _drawings(chart):
        labels = _y_labels(drawing)
        assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
        assert "1 day" in labels and "2 days" in labels


def test_the_five_year_target_is_drawn_as_the_legends_diamond(client, org_a, plan_a, measure_a):
    measure = _doc_measure(_publish(org_a).document, "Violent crime rate")
    svg = str(public_chart(measure))
    assert f'fill="{TARGET}"' in svg
    assert not re.search(rf'<circle[^>]*fill="{TARGET}"', svg)  # no dot
    diamond = re.search(rf'<path d="M([\d.]+),[\d.]+ L[^"]+ Z" fill="{TARGET}"', svg)
    assert diamond and diamond.group(0).count(" L") == 3  # four corners
    page = client.get(reverse("public:measure", args=["alpha", measure["id"]])).content.decode()
    assert "sh-legend__swatch--diamond" in page
