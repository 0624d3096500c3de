"""Cached page bodies (strategyhub/pagecache.py): served again only while nothing the page
shows has changed, never across agencies or rights, with each viewer's own CSRF token."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import KeyResult
from scorecards.measures import record_value
from scorecards.models import MeasureValue
from strategyhub.caching import pages as pagecache

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

PLAN = reverse("scorecards:plan", args=["alpha"])


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_second_view_is_served_from_the_cache_with_fewer_queries(client, org_a, measure_a):
    client.force_login(org_a.editor)
    _, cold = _get(client, PLAN)
    again, warm = _get(client, PLAN)
    assert warm < cold
    assert "Violent crime rate" in again
    assert pagecache.CSRF_PLACEHOLDER not in again


def test_a_new_value_shows_at_once(client, org_a, plan_a, measure_a):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    with scope(organization=org_a.org):
        record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            period=dt.date(2026, 10, 1),
            value=D(431),
            note="",
            user=org_a.editor,
        )
    body, _ = _get(client, PLAN)
    assert "431" in body


def test_bulk_update_of_a_key_result_shows_at_once(client, org_a, kr_response):
    """The key result's score is written with QuerySet.update(), which sends no signal."""
    from okrs.keyresults import refresh_key_result
    from okrs.models import CheckIn

    client.force_login(org_a.contributor)
    url = reverse("okrs:my_checkins", args=["alpha"])
    assert 'sh-progress__text">0.50 ' not in _get(client, url)[0]
    with scope(organization=org_a.org):
        CheckIn.objects.bulk_create([_checkin(org_a, kr_response, "8.6")])  # no signal
        refresh_key_result(kr_response)
    body, _ = _get(client, url)
    assert 'sh-progress__text">0.50 ' in body  # the card's score bar


def _checkin(organization, kr, value):
    from okrs.models import CheckIn

    return CheckIn(
        organization=organization.org,
        key_result=kr,
        author=organization.contributor,
        as_of=dt.date(2026, 11, 20),
        value=D(value),
    )


def test_a_renamed_owner_shows_at_once(client, org_a, measure_a):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    org_a.contributor.full_name = "Renamed Person"
    org_a.contributor.save()
    body, _ = _get(client, PLAN)
    assert "Renamed Person" in body


def test_the_next_day_recomputes(client, org_a, measure_a, clock):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    clock.set(dt.date(2031, 1, 5))
    _, queries = _get(client, PLAN)
    body, warm = _get(client, PLAN)
    assert warm < queries
    assert "January 5, 2031" in body


def test_a_viewer_never_gets_the_editors_page(client, org_a, measure_a):
    edit_link = reverse("scorecards:measure_new", args=["alpha", measure_a.objective.plan_id])
    client.force_login(org_a.editor)
    assert edit_link in _get(client, PLAN)[0]
    client.force_login(org_a.viewer)
    assert edit_link not in _get(client, PLAN)[0]


def test_contributors_are_cached_per_person(client, org_a, measure_a):
    """The measure's owner may enter values; another contributor may not."""
    url = reverse("scorecards:measure", args=["alpha", measure_a.pk])
    client.force_login(org_a.contributor)  # the owner
    assert 'name="period"' in _get(client, url)[0]
    other = org_a.viewer
    with scopes_disabled():
        membership = other.memberships.get(organization=org_a.org)
        membership.role = "contributor"
        membership.save()
    client.force_login(other)
    assert 'name="period"' not in _get(client, url)[0]


def test_agencies_never_share_a_cached_page(client, org_a, org_b, measure_a):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    client.force_login(org_b.admin)
    response = client.get(PLAN)
    assert response.status_code == 404
    assert b"Violent crime rate" not in response.content


def test_each_viewer_gets_a_working_csrf_token_from_a_cached_body(org_a, measure_a):
    """The strategy map's form is cached once for editors; a second editor's POST with the
    token from the cached page passes the CSRF check."""
    url = reverse("scorecards:strategy_map", args=["alpha", measure_a.objective.plan_id])
    first = Client(enforce_csrf_checks=True)
    first.force_login(org_a.editor)
    first.get(url)
    with scopes_disabled():
        second_editor = org_a.admin
    second = Client(enforce_csrf_checks=True)
    second.force_login(second_editor)
    body = second.get(url).content.decode()
    # Admins and editors differ in rights elsewhere, so use the editor's own second view too.
    repeat = Client(enforce_csrf_checks=True)
    repeat.force_login(org_a.editor)
    cached = repeat.get(url).content.decode()
    for client, page in ((second, body), (repeat, cached)):
        assert pagecache.CSRF_PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = client.post(url, {"csrfmiddlewaretoken": token, "source": "", "target": ""})
        assert response.status_code == 400  # the form's own errors, not a CSRF 403


def test_bulk_recompute_invalidates(client, org_a, kr_response):
    from okrs.models import CheckIn
    from okrs.rollup import recompute_rollups

    client.force_login(org_a.editor)
    url = reverse("scorecards:measure", args=["alpha", kr_response.measure_id])
    assert "5.1 min" not in _get(client, url)[0]
    with scopes_disabled():  # neither write sends a signal
        KeyResult.objects.filter(pk=kr_response.pk).update(current_value=D("5.1"))
        CheckIn.objects.bulk_create([_checkin(org_a, kr_response, "5.1")])
    with scope(organization=org_a.org):
        assert recompute_rollups(org_a.org) > 0
        assert MeasureValue.objects.filter(measure_id=kr_response.measure_id).exists()
    body, _ = _get(client, url)
    assert "5.1 min" in body


# --- The per-person level: the header is part of the cached page -----------------------------


def test_bell_counts_new_alerts_and_drops_to_zero_when_read(client, org_a, kr_response):
    from ownership import alerts as alert_service

    url = reverse("okrs:my_checkins", args=["alpha"])
    client.force_login(org_a.contributor)
    assert "Notifications, none unread" in _get(client, url)[0]
    with scope(organization=org_a.org):
        alert_service.scan(org_a.org, dt.date(2026, 11, 22))  # check-in overdue
    assert 'class="sh-bell-count">1<' in _get(client, url)[0]
    client.post(reverse("ownership:mark_all_read", args=["alpha"]))
    assert "Notifications, none unread" in _get(client, url)[0]
    with scope(organization=org_a.org):
        from okrs import checkins
        from okrs.checkins import CheckInEntry

        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.5")),
        )
        alert_service.scan(org_a.org, dt.date(2026, 11, 22))
    assert "Notifications, none unread" in _get(client, url)[0]


def test_a_flash_message_shows_on_a_cached_page_once(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    url = reverse("okrs:my_checkins", args=["alpha"])
    _get(client, url)
    _get(client, url)
    response = client.post(
        reverse("okrs:checkin", args=["alpha", kr_response.pk]),
        {f"kr{kr_response.pk}-as_of": "2026-11-20", f"kr{kr_response.pk}-value": "8.6"},
        follow=True,
    )
    assert "Check-in saved" in response.content.decode()
    assert "Check-in saved" not in _get(client, url)[0]


def test_joining_another_agency_shows_in_the_switcher(client, org_a, org_b, measure_a):
    from tests.factories import MembershipFactory

    client.force_login(org_a.editor)
    assert "Switch to Agency Beta" not in _get(client, PLAN)[0]
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.editor, role="viewer")
    assert "Switch to Agency Beta" in _get(client, PLAN)[0]


def test_my_own_new_name_shows_in_my_header(client, org_a, measure_a):
    client.force_login(org_a.viewer)
    _get(client, PLAN)
    org_a.viewer.full_name = "Valentina Viewer"
    org_a.viewer.save()
    assert "Valentina Viewer" in _get(client, PLAN)[0]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_agency_version_at_once_and_once_at_commit(org_a):
    """Pages rendered while a transaction is open (from data it has not committed yet)
    are dropped by one more bump after the commit, however many rows it wrote. Its later
    writes bump at once again only when this process stored a page since the last bump
    (one rendered from some of the transaction's rows but not the later ones)."""
    from django.db import transaction

    key = pagecache.organization_key(org_a.org.pk)
    (before,) = pagecache.versions(key)
    with transaction.atomic():
        pagecache.changed(org_a.org.pk)
        pagecache.changed([org_a.org.pk, None])
        assert pagecache.versions(key) == [before + 1]  # nothing stored in between
        pagecache._count_stored()  # as ``_render_cached`` does when it stores a page
        pagecache.changed(org_a.org.pk)
        assert pagecache.versions(key) == [before + 2]
        pagecache.changed(org_a.org.pk)
        assert pagecache.versions(key) == [before + 2]
        with transaction.atomic():  # a savepoint: its first write bumps at once again
            pagecache.changed(org_a.org.pk)
            pagecache.changed(org_a.org.pk)
            assert pagecache.versions(key) == [before + 3]
    assert pagecache.versions(key) == [before + 4]
    pagecache.changed(org_a.org.pk)  # no transaction: the write is already visible
    assert pagecache.versions(key) == [before + 5]


@pytest.mark.django_db(transaction=True)
def test_a_page_built_inside_a_transaction_between_two_writes_is_not_served_after_the_second(
    client, org_a, plan_a, measure_a
):
    """The case the bump at once is for: a page rendered from the transaction's first write
    must not be served once its second write is in, before the commit too."""
    from django.db import transaction

    client.force_login(org_a.editor)
    url = PLAN
    with transaction.atomic():
        measure_a.name = "First rename"
        measure_a.save()
        assert "First rename" in _get(client, url)[0]
        measure_a.name = "Second rename"
        measure_a.save()
        page = _get(client, url)[0]
    assert "Second rename" in page and "First rename" not in page
