"""Reports built from the demo scenario: the content holds the scenario's numbers as of the
quarter's end; approval freezes an edition (later data edits never change it); a
correction is a new edition with its note and the numbers that changed; bad input is
refused with a message and changes nothing; the build's queries do not grow per measure."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scope

from reports import build, editions
from reports.models import Edition, EditionStatus, Report
from scorecards.models import Measure, MeasureValue, StrategicPlan
from tests.reports.conftest import member

RESPONSE = "Average response time to serious incidents"


def measure_entry(content, name):
    return next(
        m
        for p in content["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
        if m["name"] == name
    )


def test_the_quarterly_report_holds_the_scenarios_numbers(q1_report, riverton):
    with scope(organization=riverton):
        content = q1_report.editions.get().content
    assert content["period"]["label"] == "Q1 FY 2026–27"
    assert content["previous_period"]["label"] == "Q4 FY 2025–26"
    response = measure_entry(content, RESPONSE)
    assert response["value"] == "9.0 min"
    assert response["value_period"] == "September 2026"
    assert response["target_due"] == "8.8 min"
    assert response["five_year_target"] == "7.0 min"
    assert response["status_label"] == "At risk"
    assert response["sentences"][0] == (
        "Average response time to serious incidents fell 2%, from 9.2 min to 9.0 min, "
        "above the 8.8 min planned."
    )
    assert response["key_results"][0]["title"] == "Respond to serious incidents in under 8 min"
    assert "<svg" in response["chart"] and response["rows"][0]["value"] == "9.0 min"
    summary = content["summary"]
    assert summary["measures"]["total"] == 5
    assert summary["okr"]["total"] == 3 and summary["okr"]["met"] == 1
    scores = [o["score"] for o in summary["okr"]["objectives"]]
    assert scores == sorted(scores)  # worst first
    assert summary["ownership"]["owned"] + summary["ownership"]["unowned"] == 10
    assert content["perspectives"][0]["objectives"][0]["title"] == "Reduce violent crime"


def _approve(edition, riverton):
    editions.submit(edition, member(riverton, "editor"))
    return editions.approve(edition, member(riverton, "admin"))


def test_an_approved_edition_never_changes_and_a_correction_notes_what_changed(q1_report, riverton):
    with scope(organization=riverton):
        edition = _approve(q1_report.editions.get(), riverton)
        assert edition.status == EditionStatus.APPROVED and edition.document
        frozen = (edition.content, edition.body_html, edition.document.read())
        # A correction of September's value (the measure is calculated from its key
        # results, so the correction is written as an import would).
        value = MeasureValue.objects.get(measure__name=RESPONSE, period=dt.date(2026, 9, 1))
        value.value = D("8.7")
        value.save()
        with pytest.raises(editions.ReportRefused, match="Only a draft can be rebuilt"):
            editions.rebuild(edition, member(riverton, "editor"))
        with pytest.raises(editions.ReportRefused, match="already approved"):
            editions.approve(edition, member(riverton, "admin"))
        with pytest.raises(editions.ReportRefused, match="Say what changed"):
            editions.start_correction(q1_report, member(riverton, "editor"), "  ")
        second = editions.start_correction(
            q1_report, member(riverton, "editor"), "September's response time was corrected."
        )
        with pytest.raises(editions.ReportRefused, match="open edition"):
            editions.start_correction(q1_report, member(riverton, "editor"), "again")
        again = Edition.objects.get(pk=edition.pk)
        edition.document.open("rb")
        assert (again.content, again.body_html, again.document.read()) == frozen
    assert second.number == 2 and second.status == EditionStatus.DRAFT
    assert measure_entry(second.content, RESPONSE)["value"] == "8.7 min"
    assert f"{RESPONSE}: value 9.0 min → 8.7 min." in second.changes
    assert measure_entry(again.content, RESPONSE)["value"] == "9.0 min"


def test_a_draft_rebuilds_from_the_data_and_review_goes_one_way_at_a_time(q1_report, riverton):
    editor = member(riverton, "editor")
    with scope(organization=riverton):
        edition = q1_report.editions.get()
        with pytest.raises(editions.ReportRefused, match="Send the draft for review"):
            editions.approve(edition, member(riverton, "admin"))
        editions.submit(edition, editor)
        with pytest.raises(editions.ReportRefused, match="Only a draft"):
            editions.submit(edition, editor)
        editions.return_to_draft(edition, editor)
        rebuilt = editions.rebuild(edition, editor)
    assert rebuilt.status == EditionStatus.DRAFT and rebuilt.number == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"template": "council_quarterly", "fiscal_year": 2040, "quarter": 1}, "outside the plan"),
        ({"template": "council_quarterly", "fiscal_year": 2026}, "is for a quarter"),
        ({"template": "annual", "fiscal_year": 2026, "quarter": 2}, "is for a fiscal year"),
        ({"template": "perspective", "fiscal_year": 2026, "quarter": 2}, "Choose a perspective"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(riverton, kwargs, message):
    with scope(organization=riverton):
        with pytest.raises(editions.ReportRefused, match=message):
            editions.create_report(riverton, member(riverton, "editor"), **kwargs)
        assert not Report.objects.exists()


def test_a_report_with_no_measures_is_refused(riverton):
    with scope(organization=riverton):
        empty = StrategicPlan.objects.get(status="active").perspectives.get(
            name="Stakeholder / Partner"
        )
        with pytest.raises(editions.ReportRefused, match="no measures"):
            editions.create_report(
                riverton,
                member(riverton, "editor"),
                template="perspective",
                fiscal_year=2026,
                quarter=1,
                perspective=empty,
            )
        assert not Report.objects.exists()


def test_the_annual_and_the_one_perspective_reports(riverton):
    with scope(organization=riverton):
        annual = editions.create_report(
            riverton, member(riverton, "editor"), template="annual", fiscal_year=2026
        )
        perspective = StrategicPlan.objects.get(status="active").perspectives.first()
        one = editions.create_report(
            riverton,
            member(riverton, "editor"),
            template="perspective",
            fiscal_year=2026,
            quarter=1,
            perspective=perspective,
        )
        annual_content = annual.editions.get().content
        one_content = one.editions.get().content
    assert annual_content["period"]["label"] == "FY 2026–27"
    assert (
        len(annual_content["summary"]["okr"]["cycles"]) == 4
        or annual_content["summary"]["okr"]["cycles"]
    )
    assert [p["name"] for p in one_content["perspectives"]] == [perspective.name]
    assert one.title.startswith(perspective.name)


def test_a_measure_without_values_reads_no_data(riverton):
    with scope(organization=riverton):
        measure = Measure.objects.get(name=RESPONSE)
        measure.values.all().delete()
        report = editions.create_report(
            riverton,
            member(riverton, "editor"),
            template="council_quarterly",
            fiscal_year=2026,
            quarter=1,
        )
        entry = measure_entry(report.editions.get().content, RESPONSE)
    assert entry["status_label"] == "No data"
    assert entry["sentences"] == [f"No value of {RESPONSE} has been reported yet."]
    assert entry["likelihood_label"] == "Not enough data"


def test_the_build_reads_in_a_fixed_number_of_queries(riverton, django_assert_max_num_queries):
    with scope(organization=riverton):
        report = editions.create_report(
            riverton, member(riverton, "editor"), template="annual", fiscal_year=2026
        )
        organization = report.organization
        plan = report.plan  # noqa: F841 (loaded before counting)
        with django_assert_max_num_queries(22):
            build.build_content(report, organization, editions.timezone.now())
