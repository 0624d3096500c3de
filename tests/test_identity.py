"""The signed-in person and their membership come from the database on every request
(Django's ModelBackend and one membership query in the tenant middleware): a cached staff
page costs exactly those two queries, no user row (no password hash) is kept in the cache,
and every change to who may see what takes effect on the very next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from strategyhub.members import change_role, deactivate_member
from strategyhub.middleware import membership_for
from strategyhub.models import Membership
from tests.conftest import needs_service

PLAN = reverse("scorecards:plan", args=["alpha"])
PLAN_NEW = reverse("scorecards:plan_new", args=["alpha"])


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Sessions live in the database when no Redis is configured (a local run): not counted.
    return response, sum("django_session" not in q["sql"] for q in queries.captured_queries)


def _membership(organization, role):
    with scopes_disabled():
        return Membership.objects.get(organization=organization.org, user=organization.user(role))


def test_a_cached_staff_page_needs_only_the_user_and_membership_queries(client, org_a, measure_a):
    client.force_login(org_a.editor)
    first, cold = _get(client, PLAN)
    again, warm = _get(client, PLAN)
    assert first.status_code == again.status_code == 200
    assert cold > 2
    assert warm == 2  # the user (by primary key) and the membership with agency and unit
    assert b"Violent crime rate" in again.content


def test_no_user_row_or_password_hash_is_kept_in_the_cache(client, org_a, measure_a):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    _get(client, PLAN)
    needs_service(hasattr(cache, "keys"), "Redis (REDIS_URL)")  # django-redis lists its keys
    for key in cache.keys("*"):
        value = cache.get(key)
        assert org_a.editor.password not in repr(value), key


def test_deactivated_member_loses_access_at_once(client, org_a, measure_a):
    client.force_login(org_a.editor)
    assert _get(client, PLAN)[0].status_code == 200
    with scope(organization=org_a.org):
        deactivate_member(_membership(org_a, "editor"), by=org_a.admin)
    assert _get(client, PLAN)[0].status_code == 404


def test_deactivated_account_is_signed_out_at_once(client, org_a, measure_a):
    client.force_login(org_a.editor)
    assert _get(client, PLAN)[0].status_code == 200
    org_a.editor.is_active = False
    org_a.editor.save()
    response, _ = _get(client, PLAN)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_password_change_elsewhere_ends_this_session(client, org_a, measure_a):
    client.force_login(org_a.editor)
    assert _get(client, PLAN)[0].status_code == 200
    org_a.editor.set_password("a-new-and-long-password-1")
    org_a.editor.save()
    response, _ = _get(client, PLAN)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("before", "after", "status"), [("viewer", "editor", 200), ("editor", "viewer", 403)]
)
def test_a_role_change_applies_to_the_next_request(client, org_a, before, after, status):
    user = org_a.user(before)
    client.force_login(user)
    _get(client, PLAN_NEW)
    with scope(organization=org_a.org):
        change_role(_membership(org_a, before), after)
    assert _get(client, PLAN_NEW)[0].status_code == status


def test_switched_off_agency_answers_404_at_once(client, org_a, measure_a):
    client.force_login(org_a.editor)
    assert _get(client, PLAN)[0].status_code == 200
    org_a.org.is_active = False
    org_a.org.save()
    assert _get(client, PLAN)[0].status_code == 404


def test_a_new_membership_elsewhere_opens_that_agency_at_once(client, org_a, org_b):
    client.force_login(org_a.editor)
    beta = reverse("scorecards:plan", args=["beta"])
    assert _get(client, beta)[0].status_code == 404
    with scopes_disabled():
        Membership.objects.create(organization=org_b.org, user=org_a.editor, role="viewer")
    assert _get(client, beta)[0].status_code == 200


def test_removed_unit_is_gone_from_the_membership_at_once(org_a):
    with scopes_disabled():
        membership = _membership(org_a, "contributor")
        membership.unit = org_a.team
        membership.save()
        assert membership_for(org_a.contributor, "alpha").unit_id == org_a.team.pk
        org_a.team.delete()  # SET_NULL on the membership: an UPDATE with no signal
        assert membership_for(org_a.contributor, "alpha").unit_id is None
