"""The agency overview answers "what needs me?" (issue 23, docs/ui.md): the plan's and the
quarter's state, what is off track, unowned or stale, and the signed-in person's check-ins
due this week, items at risk and commentary asked of them; every number links to its list,
in a fixed number of queries whatever the agency's size."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import KeyResult
from reports.models import CommentaryRequest
from scorecards.models import Measure
from strategyhub.models import User
from strategyhub.organizations import seed_demo_organization
from tests.factories import KeyResultFactory, MeasureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def riverton(clock):
    organization, _ = seed_demo_organization(password="home-demo-pass")
    clock.set(organization.today())  # the demo is laid out around the day it is seeded
    return organization


def _home(client, email, organization):
    client.force_login(User.objects.get(email=email))
    return client.get(reverse("agency:dashboard", args=[organization.slug])).content.decode()


def test_the_overview_says_what_needs_the_contributor(client, riverton):
    body = _home(client, "contributor@riverton.example", riverton)
    slug = riverton.slug
    # The plan and the quarter at a glance, each count a link to its list.
    assert "The plan" in body and "The quarter:" in body
    assert re.search(r'href="#home-off-track"><strong>\d+</strong>', body)
    assert re.search(rf'href="/o/{slug}/okrs/cycles/\d+/\?status=on_track"><strong>\d+', body)
    assert f'href="/o/{slug}/ownership/#gaps-h"><strong>' in body  # unowned measures
    # Their own: check-ins still due this week and results at risk, linked to the cards.
    with scopes_disabled():
        mine = list(
            KeyResult.objects.filter(owner__email="contributor@riverton.example").values_list(
                "pk", flat=True
            )
        )
    assert "due this week" in body
    assert any(f"/o/{slug}/okrs/check-ins/#kr-{pk}" in body for pk in mine)
    assert "key results at risk or off track" in body or "key result at risk" in body
    assert 'class="sh-progress"' in body  # their scores as bars, with the value as text


def test_a_viewer_sees_the_state_but_nothing_asked_of_them(client, riverton):
    body = _home(client, "viewer@riverton.example", riverton)
    assert "The plan" in body
    assert "No check-in due from you this week." in body
    assert "Commentary asked of you" not in body


def test_commentary_asked_of_the_person_links_to_its_edition(client, riverton):
    from reports import editions

    editor = User.objects.get(email="editor@riverton.example")
    contributor = User.objects.get(email="contributor@riverton.example")
    with scope(organization=riverton):
        fy = riverton.current_fiscal_year()
        report = editions.create_report(
            riverton, editor, template="council_quarterly", fiscal_year=fy.start.year, quarter=1
        )
        edition = report.editions.get()
        CommentaryRequest.objects.create(
            organization=riverton, edition=edition, user=contributor, due=dt.date(2030, 1, 1)
        )
    body = _home(client, "contributor@riverton.example", riverton)
    assert "Commentary asked of you" in body
    assert reverse("reports:edition", args=[riverton.slug, report.pk, edition.number]) in body


def test_the_overviews_queries_do_not_grow_with_the_agency(
    client, riverton, django_assert_max_num_queries, cold_pages
):
    contributor = User.objects.get(email="contributor@riverton.example")
    client.force_login(contributor)
    url = reverse("agency:dashboard", args=[riverton.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    with scopes_disabled():
        objective = KeyResult.objects.filter(owner=contributor).first().objective
        measure = Measure.objects.filter(objective__plan__organization=riverton).first()
        for i in range(25):
            MeasureFactory(objective=measure.objective, name=f"Extra measure {i}")
            KeyResultFactory(objective=objective, owner=contributor, title=f"Extra result {i}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
