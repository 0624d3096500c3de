"""Owners' commentary: an editor asks every owner (contributors included) by a due date, one
email each, sent once; an owner reads the draft they were asked about and writes on what
they own (a recovery strategy for anything at risk or off track); the report shows who
wrote it; approval freezes it; a corrected edition starts with it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from reports import commentary, editions, tasks
from reports.models import CommentaryRequest
from tests.reports.conftest import member

RESPONSE = "Average response time to serious incidents"


def owner_of(edition, name):
    item = next(i for i in commentary.items(edition.content) if i["title"] == name)
    from strategyhub.models import User

    return item, User.objects.get(pk=item["owner_id"])


def test_owners_are_asked_once_read_the_draft_and_write_their_commentary(
    client, q1_report, riverton
):
    with scope(organization=riverton):
        edition = q1_report.editions.get()
        item, owner = owner_of(edition, RESPONSE)
    url = reverse("reports:edition", args=[riverton.slug, q1_report.pk, 1])
    client.force_login(owner)
    assert owner.email.startswith("contributor@")  # contributors are asked too
    assert client.get(url).status_code == 404  # not asked yet: a draft stays hidden
    with scope(organization=riverton):
        with pytest.raises(editions.ReportRefused, match="today or later"):
            commentary.request_commentary(edition, None, dt.date(2026, 1, 1))
        asked = commentary.request_commentary(edition, None, dt.date(2026, 12, 15))
        assert asked >= 1
        assert commentary.request_commentary(edition, None, dt.date(2026, 12, 15)) == 0
        request = CommentaryRequest.objects.get(edition=edition, user=owner)
        kwargs = {"organization_id": riverton.pk, "request_id": request.pk}
        assert tasks.send_commentary_request.apply(kwargs=kwargs).get() is True
        assert tasks.send_commentary_request.apply(kwargs=kwargs).get() is False  # once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    assert RESPONSE in mail.outbox[0].body and "December 15, 2026" in mail.outbox[0].subject

    page = client.get(url)
    assert page.status_code == 200
    assert f"Recovery strategy (required: it is {item['status_label'].lower()})" in (
        page.content.decode()
    )
    write = reverse("reports:commentary_write", args=[riverton.slug, q1_report.pk, 1])
    form = {"item_kind": "measure", "item_id": item["id"], "analysis": "Dispatch was short."}
    client.post(write, form)
    messages = [str(m) for m in client.get(url).context["messages"]]
    assert any("describe the recovery strategy" in m for m in messages)
    form["recovery"] = "Two more dispatchers from January."
    client.post(write, form)
    body = client.get(url).content.decode()
    assert f"Commentary by {owner.display_name}" in body
    assert "Two more dispatchers from January." in body

    with scope(organization=riverton):
        other = next(i for i in commentary.items(edition.content) if i["owner_id"] != owner.pk)
        with pytest.raises(editions.ReportRefused, match="only on the objectives and measures"):
            commentary.write(
                edition, owner, kind=other["kind"], item_id=other["id"], analysis="Not mine."
            )
        editions.submit(edition, None)
        editions.approve(edition, member(riverton, "admin"))
        edition.refresh_from_db()
        with pytest.raises(editions.ReportRefused, match="frozen"):
            commentary.write(
                edition, owner, kind="measure", item_id=item["id"], analysis="Too late."
            )
        second = editions.start_correction(q1_report, None, "A value was corrected.")
        assert "Two more dispatchers from January." in second.body_html


def test_a_viewer_who_was_not_asked_never_sees_the_draft(client, q1_report, riverton):
    with scope(organization=riverton):
        commentary.request_commentary(q1_report.editions.get(), None, dt.date(2026, 12, 15))
    client.force_login(member(riverton, "viewer"))
    url = reverse("reports:edition", args=[riverton.slug, q1_report.pk, 1])
    assert client.get(url).status_code == 404
    write = reverse("reports:commentary_write", args=[riverton.slug, q1_report.pk, 1])
    assert client.post(write, {"item_kind": "measure", "item_id": 1}).status_code == 404
    ask = reverse("reports:commentary_ask", args=[riverton.slug, q1_report.pk, 1])
    assert client.post(ask, {"due": "2026-12-15"}).status_code == 403


def test_an_editor_asks_from_the_page(client, q1_report, riverton):
    client.force_login(member(riverton, "editor"))
    ask = reverse("reports:commentary_ask", args=[riverton.slug, q1_report.pk, 1])
    assert client.post(ask, {"due": "soon"}).status_code == 302
    with scope(organization=riverton):
        assert not CommentaryRequest.objects.exists()
    assert client.post(ask, {"due": "2026-12-15"}).status_code == 302
    with scope(organization=riverton):
        assert CommentaryRequest.objects.exists()
