"""The quarterly review saved as pre-filled, then the quarter closed, in a real browser."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from okrs.keyresults import objective_score_of
from okrs.models import OkrObjective
from okrs.review import review_start
from strategyhub.organizations import seed_demo_organization
from strategyhub.ui.formatting import format_score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_as_pre_filled_then_close_the_quarter(page):
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    with scopes_disabled():
        today = organization.today()
        # The running quarter's (the quarter before it is closed: the demo's history).
        objective = OkrObjective.objects.filter(
            organization=organization, cycle__start__lte=today, cycle__end__gte=today
        ).first()
        assert objective is not None
        cycle = objective.cycle
        exact = objective_score_of(objective.key_results.filter(archived_at=None))
        early = review_start(cycle, today).needs_confirmation
    assert exact is not None
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("admin@riverton.example")
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(reverse("okrs:cycle_detail", args=[organization.slug, cycle.pk]))
    if early:  # before the quarter's last two weeks, starting the review asks to confirm
        page.get_by_role("link", name="Start the review").click()
        page.get_by_role("button", name=re.compile("^Yes, start the review")).click()
    else:
        page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_text(re.compile("is in review"))).to_be_visible()

    page.goto(reverse("okrs:objective", args=[organization.slug, objective.pk]))
    page.get_by_role("link", name="Quarterly review").click()
    final = page.get_by_label(re.compile("Final score"))
    expect(final).to_have_value(format_score(exact))  # rounded for display
    page.get_by_label("What worked").fill("Weekly check-ins kept everyone honest")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text(re.compile("was saved"))).to_be_visible()
    with scopes_disabled():
        assert OkrObjective.objects.get(pk=objective.pk).final_score == exact  # stored exactly

    page.goto(reverse("okrs:cycle_detail", args=[organization.slug, cycle.pk]))
    page.get_by_role("link", name=re.compile("and freeze its scores")).click()  # confirm first
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("freeze its scores\\?$"))
    page.get_by_role("button", name=re.compile("^Yes, close .* and freeze its scores")).click()
    expect(page.get_by_text(re.compile("is closed: .* scores frozen"))).to_be_visible()
    with scopes_disabled():
        cycle.refresh_from_db()
        assert cycle.is_closed
