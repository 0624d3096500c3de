"""Issue 16, periods, trends and bounds of the strategic layer: the agency's fiscal-year label
style, the trend word with its window, a measure's own bounds (values, targets, roll-ups),
the migration that lists stored numbers outside the bounds, and a demo inside them."""

import datetime as dt
import importlib
import logging
from decimal import Decimal as D
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.cycles import ensure_cycles
from scorecards import measures
from scorecards.models import Measure, MeasureTarget, MeasureValue, ValueOrigin
from strategyhub.fiscal import LabelStyle
from strategyhub.models import Organization

pytestmark = pytest.mark.usefixtures("clock")


# --- The fiscal-year label style ------------------------------------------------------------


def test_the_label_style_defaults_to_the_span(org_a):
    assert org_a.org.fiscal_year_label_style == LabelStyle.SPAN
    assert org_a.org.current_fiscal_year().label == "FY 2026–27"


def test_settings_show_and_save_the_label_style(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    page = client.get(url).content.decode()
    assert 'name="fiscal_year_label_style"' in page
    assert "Fiscal-year labels" in page
    data = {
        "name": "Agency Alpha",
        "timezone": "UTC",
        "fiscal_year_start_month": 10,
        "fiscal_year_label_style": "end_year",
    }
    assert client.post(url, data).status_code == 302
    org_a.org.refresh_from_db()
    assert org_a.org.fiscal_year_label_style == LabelStyle.END_YEAR
    # A fiscal year starting 1 October 2026 is FY 2027, its quarters "Q1 FY 2027".
    assert org_a.org.current_fiscal_year().label == "FY 2027"
    assert org_a.org.current_fiscal_quarter().label == "Q1 FY 2027"
    dashboard = client.get(reverse("agency:dashboard", args=["alpha"])).content.decode()
    assert "FY 2027" in dashboard and "Q1 FY 2027" in dashboard
    assert "2026–27" not in dashboard


def test_settings_refuse_an_unknown_label_style(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    data = {"name": "A", "timezone": "UTC", "fiscal_year_start_month": 7}
    assert client.post(url, {**data, "fiscal_year_label_style": "roman"}).status_code == 400
    org_a.org.refresh_from_db()
    assert org_a.org.fiscal_year_label_style == LabelStyle.SPAN


def test_okr_cycles_are_labelled_in_the_agencys_style(org_a):
    Organization.objects.filter(pk=org_a.org.pk).update(fiscal_year_label_style="end_year")
    with scopes_disabled():
        cycles = ensure_cycles(org_a.org, 2026)  # July 2026 – June 2027
        labels = [c.label for c in type(cycles[0]).objects.filter(organization=org_a.org)]
    assert "FY 2027" in labels and "Q2 FY 2027" in labels
    org_a.org.refresh_from_db()
    with scope(organization=org_a.org):
        fresh = type(cycles[0]).objects.get(pk=cycles[2].pk)
        assert fresh.label == "Q2 FY 2027"


def test_a_quarterly_value_is_labelled_in_the_agencys_style(client, org_a, plan_a, measure_a):
    Organization.objects.filter(pk=org_a.org.pk).update(fiscal_year_label_style="end_year")
    org_a.org.refresh_from_db()
    with scope(organization=org_a.org):
        measure_a.update_frequency = "quarterly"
        measure_a.save()
        measures.record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            period=dt.date(2026, 10, 1),
            value=D(470),
            user=None,
        )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk]))
    assert "Q2 FY 2027" in page.content.decode()


# --- The trend word -------------------------------------------------------------------------


def test_the_measure_page_states_the_trend_window(client, org_a, plan_a, measure_a):
    """Lower is better, down from November 2025 (470 in September, fixture; 475 in October,
    a bump the old last-three rule called worsening): improving."""
    with scope(organization=org_a.org):
        for period, value in [
            (dt.date(2025, 11, 1), D(490)),
            (dt.date(2026, 10, 1), D(475)),
            (dt.date(2026, 11, 1), D(470)),
        ]:
            MeasureValue.objects.create(
                organization=org_a.org, measure=measure_a, period=period, value=value
            )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk]))
    assert "Improving (vs. November 2025)" in page.content.decode()


# --- A measure's own bounds -----------------------------------------------------------------


def _bounded(measure_a):
    measure_a.min_value = D(0)
    measure_a.max_value = D(1000)
    measure_a.save()
    return measure_a


@pytest.mark.parametrize(
    ("value", "refused"),
    [(D(-1), True), (D(0), False), (D(1000), False), (D("1000.5"), True), (D(470), False)],
)
def test_a_value_outside_the_measures_bounds_is_refused(org_a, plan_a, measure_a, value, refused):
    with scope(organization=org_a.org):
        measure = _bounded(measure_a)
        for source in (ValueOrigin.ENTERED, ValueOrigin.KEY_RESULTS):
            if source == ValueOrigin.KEY_RESULTS:
                measure.value_source = "calculated"
            try:
                measures.check_value(
                    measure,
                    plan=plan_a,
                    organization=org_a.org,
                    period=dt.date(2026, 10, 1),
                    value=value,
                    source=source,
                )
            except measures.ValueRefused as error:
                assert refused, error
                assert "from 0 per 100,000 to 1,000 per 100,000" in " ".join(
                    error.message_dict["value"]
                )
            else:
                assert not refused


def test_one_sided_bounds_and_targets(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        measure_a.min_value = D(100)
        measure_a.save()
        with pytest.raises(measures.ValueRefused) as error:
            measures.check_target(measure_a, D(50))
        assert "at least 100 per 100,000" in " ".join(error.value.message_dict["floor"])
        with pytest.raises(measures.ValueRefused) as error:
            measures.check_target(measure_a, D(400), D(90))
        assert "stretch" in error.value.message_dict
        measures.check_target(measure_a, D(400), D(380))
        measure_a.min_value, measure_a.max_value = None, D(450)
        message = measure_a.bounds_message(D(451))
        assert message == "This measure's values are at most 450 per 100,000."
        assert measure_a.bounds_message(None) is None


def test_the_measure_itself_obeys_its_bounds(org_a, measure_a):
    with scope(organization=org_a.org):
        measure_a.min_value, measure_a.max_value = D(10), D(5)
        with pytest.raises(ValidationError) as error:
            measure_a.full_clean()
        assert "max_value" in error.value.message_dict
        measure_a.min_value, measure_a.max_value = D(400), D(1000)  # baseline 485, target 364
        with pytest.raises(ValidationError) as error:
            measure_a.full_clean()
        assert "target_value" in error.value.message_dict
        assert "baseline_value" not in error.value.message_dict


# --- The migration lists, never clips -------------------------------------------------------


def test_the_migration_lists_percent_numbers_outside_0_to_100(org_a, measure_a, caplog, capsys):
    migration = importlib.import_module("scorecards.migrations.0007_measure_bounds")
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(unit_kind="percent", target_value=D(90))
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure_a, period=dt.date(2026, 8, 1), value=D(-5)
        )
        MeasureTarget.objects.create(
            organization=org_a.org, measure=measure_a, fiscal_year=2030, floor=D(90), stretch=D(107)
        )
        with caplog.at_level(logging.WARNING, logger="scorecards.migrations"):
            migration.list_out_of_bounds(apps, None)
        assert MeasureTarget.objects.get(measure=measure_a).stretch == D(107)  # not clipped
        assert MeasureValue.objects.get(measure=measure_a, value__lt=0).value == D(-5)
    text = caplog.text
    assert "4 stored percent number(s)" in text  # baseline 485, values 470 and -5, stretch
    assert "stretch 107" in text and ": -5" in text
    assert "outside 0–100 %" in capsys.readouterr().out


def test_the_migration_is_silent_without_rows_outside(db, caplog):
    migration = importlib.import_module("scorecards.migrations.0007_measure_bounds")
    with caplog.at_level(logging.WARNING, logger="scorecards.migrations"):
        migration.list_out_of_bounds(apps, None)
    assert caplog.text == ""


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_has_no_percent_number_outside_0_to_100(db):
    call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    organization = Organization.objects.get(slug="riverton")
    with scope(organization=organization):
        percent = list(Measure.objects.filter(unit_kind="percent"))
        assert any(m.name == "Officers trained in community policing" for m in percent)
        for measure in percent:
            numbers = [measure.baseline_value, measure.target_value]
            numbers += [v.value for v in measure.values.all()]
            for t in measure.targets.all():
                numbers += [t.floor, t.stretch, t.range_high]
            assert all(n is None or D(0) <= n <= D(100) for n in numbers), measure.name
        officers = Measure.objects.get(name="Officers trained in community policing")
        last = officers.targets.order_by("-fiscal_year").first()
        assert (last.floor, last.stretch) == (D(100), None)


def test_settings_posted_without_the_label_style_keep_it(client, org_a):
    Organization.objects.filter(pk=org_a.org.pk).update(fiscal_year_label_style="end_year")
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    data = {"name": "Alpha City", "timezone": "UTC", "fiscal_year_start_month": 7}
    assert client.post(url, data).status_code == 302
    org_a.org.refresh_from_db()
    assert (org_a.org.name, org_a.org.fiscal_year_label_style) == ("Alpha City", "end_year")
