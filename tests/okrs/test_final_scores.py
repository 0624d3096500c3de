"""The reviewed final score is the objective's score of record once reviewed
(``okrs.keyresults.score_of_record``): on the cycle overview, the objective page (with the
computed score next to it), and the publication document; and each result's review decision
on the objective page."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.keyresults import score_of_record
from okrs.models import KeyResult, OkrObjective
from publicdash.snapshot import build_document

# 22 November 2026, the test clock's default day: Q2 of FY 2026 runs.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def reviewed(org_a, okr, kr_response, kr_patrols):
    """The objective computed at 0.75 (0.5 and 1.0), reviewed with a final score of 0.40;
    one result carried over, the other completed."""
    with scope(organization=org_a.org):
        checkins.record(
            kr_response, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6"))
        )
        checkins.record(
            kr_patrols, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(140))
        )
        OkrObjective.objects.filter(pk=okr.pk).update(final_score=D("0.4"), status="reviewed")
        KeyResult.objects.filter(pk=kr_response.pk).update(review_decision="carry_over")
        KeyResult.objects.filter(pk=kr_patrols.pk).update(review_decision="complete")
        okr.refresh_from_db()
    assert okr.score == D("0.75")  # the stored score stays the computed one
    return okr


def test_the_rule():
    assert score_of_record(D("0.36"), status="reviewed", final_score=D("0.4")) == D("0.4")
    assert score_of_record(D("0.36"), status="reviewed", final_score=None) == D("0.36")
    # A final score is only the score of record once the objective is reviewed.
    assert score_of_record(D("0.36"), status="active", final_score=D("0.4")) == D("0.36")
    assert score_of_record(None, status="active", final_score=None) is None


def _overview_score(client, quarter, okr):
    page = client.get(reverse("okrs:cycle_detail", args=["alpha", quarter.pk])).content.decode()
    row = page.split(f"/objectives/{okr.pk}/", 1)[1].split("</li>", 1)[0]
    return row


def test_the_cycle_overview_shows_the_reviewed_final_score(client, org_a, quarter, reviewed):
    client.force_login(org_a.viewer)
    row = _overview_score(client, quarter, reviewed)
    assert 'sh-progress__text">0.40 ' in row  # the score bar's value, in text
    assert "0.75" not in row


def test_the_cycle_overview_shows_the_computed_score_before_the_review(
    client, org_a, quarter, reviewed
):
    with scope(organization=org_a.org):
        OkrObjective.objects.filter(pk=reviewed.pk).update(status="active")
    client.force_login(org_a.viewer)
    row = _overview_score(client, quarter, reviewed)
    assert 'sh-progress__text">0.75 ' in row


def test_the_objective_page_shows_the_final_score_and_the_computed_one(client, org_a, reviewed):
    client.force_login(org_a.viewer)
    page = client.get(reverse("okrs:objective", args=["alpha", reviewed.pk])).content.decode()
    facts = page.split("<dt>Score</dt>", 1)[1].split("</dd>", 1)[0]
    assert "0.40" in facts and "computed 0.75" in facts
    review = page.split('id="review-h"', 1)[1].split("</section>", 1)[0]
    assert "0.40" in review and "computed 0.75" in review


def test_the_objective_page_shows_each_results_decision_once_reviewed(
    client, org_a, reviewed, kr_response, kr_patrols
):
    client.force_login(org_a.viewer)
    page = client.get(reverse("okrs:objective", args=["alpha", reviewed.pk])).content.decode()
    assert "Review decision" in page
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    row_of = {kr.title: next(r for r in rows if kr.title in r) for kr in (kr_response, kr_patrols)}
    assert "Carry over" in row_of[kr_response.title]
    assert "Complete" in row_of[kr_patrols.title]


def test_no_decision_column_before_the_review(client, org_a, okr, kr_response):
    client.force_login(org_a.viewer)
    page = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    assert "Review decision" not in page
    assert "computed" not in page


def test_a_result_without_a_decision_says_so(client, org_a, reviewed, kr_patrols):
    with scope(organization=org_a.org):
        KeyResult.objects.filter(pk=kr_patrols.pk).update(review_decision="")
    client.force_login(org_a.viewer)
    page = client.get(reverse("okrs:objective", args=["alpha", reviewed.pk])).content.decode()
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    assert "No decision" in next(r for r in rows if kr_patrols.title in r)


def test_the_publication_shows_the_reviewed_final_score(org_a, plan_a, reviewed):
    with scope(organization=org_a.org):
        document = build_document(org_a.org, include_okrs=True, version=1)
    (row,) = [o for o in document["okrs"]["objectives"] if o["title"] == reviewed.title]
    assert row["score"] == "0.40"
