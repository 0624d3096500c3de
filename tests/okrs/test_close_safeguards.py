"""The safeguards of a quarter's transitions: closing asks to confirm on a page of its own
(GET), which says what closing does and warns (it does not forbid) when objectives have no
review, results no decision, or the quarter has not ended; "Start the review" is offered
only for an active quarter or a planning one with objectives, and asks to confirm before
the quarter's last two weeks. The POST stays the action."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from okrs import review
from okrs.cycles import ensure_cycles
from okrs.models import Cycle, KeyResult, OkrObjective

# 22 November 2026 by default: Q2 of FY 2026 (October–December 2026) runs.
pytestmark = pytest.mark.usefixtures("clock")


def _close_url(cycle):
    return reverse("okrs:cycle_close", args=["alpha", cycle.pk])


def _review_url(cycle):
    return reverse("okrs:cycle_review", args=["alpha", cycle.pk])


def _overview(client, cycle):
    return client.get(reverse("okrs:cycle_detail", args=["alpha", cycle.pk])).content.decode()


@pytest.fixture
def in_review(org_a, quarter, okr, kr_response, kr_patrols):
    """Q2 in review with a second objective; "Faster emergency response" reviewed with
    one result carried over and one without a decision."""
    with scope(organization=org_a.org):
        OkrObjective.objects.create(
            organization=org_a.org, cycle=quarter, level="unit", unit=org_a.unit, title="Hire"
        )
        OkrObjective.objects.filter(pk=okr.pk).update(status="reviewed")
        KeyResult.objects.filter(pk=kr_response.pk).update(review_decision="carry_over")
        Cycle.objects.filter(pk=quarter.pk).update(status="in_review")
        quarter.refresh_from_db()
    return quarter


def test_the_close_button_leads_to_a_confirmation_page(client, org_a, in_review):
    client.force_login(org_a.admin)
    page = _overview(client, in_review)
    # A link to the confirmation page, not a form that closes at once.
    assert f'href="{_close_url(in_review)}"' in page
    assert f'action="{_close_url(in_review)}"' not in page
    confirm = client.get(_close_url(in_review))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"Close {in_review.label} and freeze its scores?" in text
    assert f'action="{_close_url(in_review)}"' in text  # the form posts the action
    assert f"Yes, close {in_review.label} and freeze its scores" in text
    assert "are frozen" in text
    assert "1 key result marked “carry over” moves into Q3" in text
    assert "Respond to serious incidents in under 8 min" in text
    with scope(organization=org_a.org):
        assert Cycle.objects.get(pk=in_review.pk).status == "in_review"  # GET changes nothing


def test_the_confirmation_warns_of_missing_reviews_decisions_and_an_early_close(
    client, clock, org_a, in_review
):
    clock.set(dt.date(2026, 12, 1))
    client.force_login(org_a.admin)
    text = client.get(_close_url(in_review)).content.decode()
    assert "Before you go ahead" in text
    assert "1 of 2 objectives has no review" in text and "“Hire”" in text
    assert "1 key result has no decision" in text
    assert (
        f"{in_review.label} runs until December 31: closing now freezes scores 30 days early."
        in text
    )
    assert "You can still go ahead." in text


def test_no_warning_once_everything_is_decided_and_the_quarter_is_over(
    client, clock, org_a, quarter, okr, kr_response
):
    with scope(organization=org_a.org):
        OkrObjective.objects.filter(pk=okr.pk).update(status="reviewed")
        KeyResult.objects.filter(pk=kr_response.pk).update(review_decision="complete")
        Cycle.objects.filter(pk=quarter.pk).update(status="in_review")
    clock.set(dt.date(2027, 1, 2))
    client.force_login(org_a.admin)
    text = client.get(_close_url(quarter)).content.decode()
    assert "Before you go ahead" not in text
    assert "No key result is marked “carry over”" in text


def test_the_last_day_is_said(org_a, quarter, okr):
    with scope(organization=org_a.org):
        preview = review.close_preview(quarter, dt.date(2026, 12, 31))
    assert any("before its last day is over" in w for w in preview.warnings)


def test_the_post_still_closes_despite_the_warnings(client, org_a, in_review, kr_response):
    client.force_login(org_a.admin)
    response = client.post(_close_url(in_review), follow=True)
    assert "is closed: 2 scores frozen, 1 key result(s) carried over" in response.content.decode()
    with scope(organization=org_a.org):
        assert Cycle.objects.get(pk=in_review.pk).is_closed
        assert KeyResult.objects.filter(predecessor=kr_response).exists()


def test_a_closed_cycle_confirmation_says_it_is_closed(client, org_a, quarter):
    with scope(organization=org_a.org):
        Cycle.objects.filter(pk=quarter.pk).update(status="closed")
    client.force_login(org_a.admin)
    text = client.get(_close_url(quarter)).content.decode()
    assert "is already closed" in text
    assert "Yes, close" not in text


def test_the_confirmation_page_is_for_admins(client, org_a, in_review):
    client.force_login(org_a.editor)
    assert client.get(_close_url(in_review)).status_code == 403
    assert client.get(_review_url(in_review)).status_code == 403


def test_reopen_has_no_confirmation_page(client, org_a, quarter):
    client.force_login(org_a.admin)
    url = reverse("okrs:cycle_reopen", args=["alpha", quarter.pk])
    assert client.get(url).status_code == 405


# --- Start the review ------------------------------------------------------------------------


@pytest.fixture
def q4(org_a, quarter):
    """Q4 of FY 2026 (April–June 2027), being planned."""
    with scope(organization=org_a.org):
        ensure_cycles(org_a.org, 2026)
        return Cycle.objects.get(fiscal_year=2026, quarter=4)


def test_a_planning_quarter_without_objectives_is_not_offered_the_review(client, org_a, q4):
    assert q4.status == "planning"
    client.force_login(org_a.admin)
    assert "Start the review" not in _overview(client, q4)
    response = client.post(_review_url(q4), follow=True)
    assert "has no objectives: there is nothing to review" in response.content.decode()
    with scope(organization=org_a.org):
        assert Cycle.objects.get(pk=q4.pk).status == "planning"
    text = client.get(_review_url(q4)).content.decode()
    assert "nothing to review" in text and "Yes, start" not in text


def test_a_planning_quarter_with_objectives_is_offered_the_review(client, org_a, q4):
    with scope(organization=org_a.org):
        OkrObjective.objects.create(
            organization=org_a.org, cycle=q4, level="unit", unit=org_a.unit, title="Plan"
        )
    client.force_login(org_a.admin)
    assert "Start the review" in _overview(client, q4)


def test_starting_the_review_early_asks_to_confirm(client, org_a, quarter, okr):
    client.force_login(org_a.admin)
    page = _overview(client, quarter)
    assert f'href="{_review_url(quarter)}"' in page  # 22 Nov: before the last two weeks
    assert f'action="{_review_url(quarter)}"' not in page
    text = client.get(_review_url(quarter)).content.decode()
    assert f"Start the review of {quarter.label}?" in text
    assert "its review usually starts in its last two weeks, from December 18" in text
    assert f'action="{_review_url(quarter)}"' in text
    response = client.post(_review_url(quarter), follow=True)
    assert f"{quarter.label} is in review." in response.content.decode()


def test_in_the_last_two_weeks_the_review_starts_in_one_click(client, clock, org_a, quarter, okr):
    clock.set(dt.date(2026, 12, 18))
    client.force_login(org_a.admin)
    page = _overview(client, quarter)
    assert f'action="{_review_url(quarter)}"' in page  # the button posts at once
    assert "Before you go ahead" not in client.get(_review_url(quarter)).content.decode()


def test_an_editor_is_not_offered_the_review(client, org_a, quarter, okr):
    client.force_login(org_a.editor)
    page = _overview(client, quarter)
    assert "Start the review" not in page and "freeze its scores" not in page
