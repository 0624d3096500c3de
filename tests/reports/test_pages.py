"""Every report URL: anonymous → sign-in, another agency → 404, too small a role → 403 or
404 (a viewer never learns a draft exists), and the happy path; the list's queries bounded."""

import codecs

import pytest
from django.urls import reverse
from django_scopes import scope

from reports import editions
from reports.models import EditionStatus
from tests.conftest import make_organization
from tests.reports.conftest import member


def urls(org, report_id, number=1):
    return {
        "list": reverse("reports:list", args=[org.slug]),
        "new": reverse("reports:new", args=[org.slug]),
        "report": reverse("reports:report", args=[org.slug, report_id]),
        "edition": reverse("reports:edition", args=[org.slug, report_id, number]),
        "html": reverse("reports:download", args=[org.slug, report_id, number, "html"]),
    }


def test_anonymous_is_sent_to_sign_in(client, q1_report, riverton):
    for url in urls(riverton, q1_report.pk).values():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_agencys_member_gets_404(client, q1_report, riverton, db):
    other = make_organization("Agency Beta", "beta")
    client.force_login(other.admin)
    for url in urls(riverton, q1_report.pk).values():
        assert client.get(url).status_code == 404
    # Their own agency's URL with this report's id: 404 too (tenant-scoped).
    assert client.get(urls(other.org, q1_report.pk)["edition"]).status_code == 404


def test_a_viewer_reads_only_approved_editions_and_cannot_draft(client, q1_report, riverton):
    client.force_login(member(riverton, "viewer"))
    links = urls(riverton, q1_report.pk)
    assert client.get(links["edition"]).status_code == 404
    assert client.get(links["html"]).status_code == 404
    assert client.get(links["new"]).status_code == 403
    assert q1_report.title not in client.get(links["list"]).content.decode()
    action = reverse("reports:edition_action", args=[riverton.slug, q1_report.pk, 1, "submit"])
    assert client.post(action).status_code == 403
    with scope(organization=riverton):
        edition = q1_report.editions.get()
        editions.submit(edition, None)
        editions.approve(edition, member(riverton, "admin"))
    assert q1_report.title in client.get(links["list"]).content.decode()
    page = client.get(links["edition"])
    assert page.status_code == 200 and "Average response time" in page.content.decode()
    download = client.get(links["html"])
    assert download.status_code == 200
    assert b"<title>Council quarterly report" in b"".join(download.streaming_content)


def test_an_editor_drafts_and_an_admin_approves(client, riverton):
    editor = member(riverton, "editor")
    client.force_login(editor)
    new = reverse("reports:new", args=[riverton.slug])
    assert client.get(new).status_code == 200
    response = client.post(new, {"template": "council_quarterly", "period": "2026-Q1"})
    assert response.status_code == 302
    with scope(organization=riverton):
        from reports.models import Report

        report = Report.objects.get()
    edition_url = urls(riverton, report.pk)["edition"]
    page = client.get(edition_url).content.decode()
    assert "Edition 1: Draft" in page and '<h2 id="summary">Summary</h2>' in page

    def act(action):
        return client.post(
            reverse("reports:edition_action", args=[riverton.slug, report.pk, 1, action])
        )

    assert act("rebuild").status_code == 302
    assert act("submit").status_code == 302
    assert act("approve").status_code == 403  # editors do not approve
    client.force_login(member(riverton, "admin"))
    assert act("approve").status_code == 302
    assert act("approve").status_code == 302  # refused with a message, nothing changes
    with scope(organization=riverton):
        assert report.editions.get().status == EditionStatus.APPROVED
    messages = [str(m) for m in client.get(edition_url).context["messages"]]
    assert "This edition is already approved." in messages
    correction = reverse("reports:correction", args=[riverton.slug, report.pk])
    assert client.post(correction, {"note": "A value was corrected."}).status_code == 302
    with scope(organization=riverton):
        assert report.editions.count() == 2


def test_a_period_outside_the_plan_is_refused_by_the_form(client, riverton):
    client.force_login(member(riverton, "editor"))
    response = client.post(
        reverse("reports:new", args=[riverton.slug]),
        {"template": "council_quarterly", "period": "2040-Q1"},
    )
    assert response.status_code == 400


@pytest.mark.usefixtures("cold_pages")
def test_the_list_reads_in_a_fixed_number_of_queries(
    client, riverton, q1_report, django_assert_max_num_queries
):
    with scope(organization=riverton):
        for quarter in (2, 3):
            editions.create_report(
                riverton, None, template="council_quarterly", fiscal_year=2026, quarter=quarter
            )
    client.force_login(member(riverton, "editor"))
    url = reverse("reports:list", args=[riverton.slug])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_csv_appendix_has_every_number_of_the_edition(client, q1_report, riverton):
    client.force_login(member(riverton, "editor"))
    url = reverse("reports:download", args=[riverton.slug, q1_report.pk, 1, "csv"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(codecs.BOM_UTF8)  # for Excel (strategyhub.csvsafe)
    text = response.content.decode("utf-8-sig")
    assert "Average response time to serious incidents,September 2026,value,9.0 min" in text
    assert ",+2.8%," in text  # a signed number is not mangled
    client.force_login(member(riverton, "viewer"))
    assert client.get(url).status_code == 404  # a draft's numbers stay inside
