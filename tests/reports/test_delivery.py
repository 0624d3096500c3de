"""Scheduled reports: bad recipients are refused; when a quarter has ended the schedule
builds its report once (however often the job runs) and asks the owners; once approved the
edition goes to each recipient once, with the PDF; staff get the sign-in link, outside
addresses the public version's only when it is published."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from reports import delivery, editions, tasks
from reports.models import CommentaryRequest, Report, ReportSchedule
from tests.reports.conftest import member


@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        ("", "at least one"),
        ("clerk@city.example\nnot-an-address", "Not email addresses: not-an-address."),
    ],
)
def test_recipients_that_are_not_email_addresses_are_refused(riverton, recipients, message):
    with scope(organization=riverton):
        with pytest.raises(editions.ReportRefused, match=message):
            delivery.create_schedule(
                riverton,
                None,
                template="council_quarterly",
                cadence="quarterly",
                recipients=recipients,
            )
        with pytest.raises(editions.ReportRefused, match="cannot be sent every fiscal year"):
            delivery.create_schedule(
                riverton,
                None,
                template="council_quarterly",
                cadence="annual",
                recipients="clerk@city.example",
            )
        assert not ReportSchedule.objects.exists()


def test_a_schedule_builds_once_asks_the_owners_and_delivers_once(riverton):
    admin = member(riverton, "admin")
    with scope(organization=riverton):
        schedule = delivery.create_schedule(
            riverton,
            admin,
            template="council_quarterly",
            cadence="quarterly",
            recipients=f"clerk@council.example\n{member(riverton, 'viewer').email}",
        )
        built = delivery.run_due(riverton)  # 22 November 2026: Q1 (July–September) ended
        assert [r.title for r in built] == ["Council quarterly report, Q1 FY 2026–27"]
        assert delivery.run_due(riverton) == []  # once
        report = Report.objects.get()
        assert report.schedule_id == schedule.pk
        edition = report.editions.get()
        assert CommentaryRequest.objects.filter(edition=edition).exists()
        assert edition.commentary_due == dt.date(2026, 12, 2)
        editions.submit(edition, admin)
        editions.approve(edition, admin)
        kwargs = {"organization_id": riverton.pk, "edition_id": edition.pk}
        tasks.render_edition_pdf.apply(kwargs=kwargs).get()
        tasks.render_edition_pdf.apply(kwargs=kwargs).get()  # a retry sends nothing twice
    sent = [m for m in mail.outbox if "Council quarterly report" in m.subject]
    assert sorted(m.to[0] for m in sent) == ["clerk@council.example", "viewer@riverton.example"]
    for message in sent:
        assert message.attachments and message.attachments[0][2] == "application/pdf"
    staff = next(m for m in sent if m.to == ["viewer@riverton.example"])
    outside = next(m for m in sent if m.to == ["clerk@council.example"])
    staff_link = reverse("reports:edition", args=[riverton.slug, report.pk, 1])
    assert staff_link in staff.body
    assert "/o/" not in outside.body  # no link that needs sign-in goes outside
    assert "Read it online" not in outside.body  # not published: no link at all


def test_an_admin_schedules_from_the_page(client, riverton):
    client.force_login(member(riverton, "editor"))
    url = reverse("reports:schedules", args=[riverton.slug])
    assert client.get(url).status_code == 403
    client.force_login(member(riverton, "admin"))
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "template": "council_quarterly",
            "cadence": "quarterly",
            "recipients": "nobody",
            "commentary_days": 10,
        },
    )
    assert bad.status_code == 400 and "Not email addresses: nobody." in bad.content.decode()
    good = client.post(
        url,
        {
            "template": "council_quarterly",
            "cadence": "quarterly",
            "recipients": "clerk@council.example",
            "commentary_days": 10,
        },
    )
    assert good.status_code == 302
    with scope(organization=riverton):
        schedule = ReportSchedule.objects.get()
    stop = reverse("reports:schedule_stop", args=[riverton.slug, schedule.pk])
    assert client.post(stop).status_code == 302
    with scope(organization=riverton):
        assert not ReportSchedule.objects.get().is_active
