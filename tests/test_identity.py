"""The signed-in person and their membership from the cache (strategyhub/caching/identity.py): a
cached staff page costs no database query, and every change to who may see what takes
effect on the very next request."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from strategyhub.caching import identity
from strategyhub.members import change_role, deactivate_member
from strategyhub.models import Membership

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


def test_a_cached_staff_page_needs_no_database_query(client, org_a, measure_a):
    client.force_login(org_a.editor)
    first, cold = _get(client, PLAN)
    again, warm = _get(client, PLAN)
    assert first.status_code == again.status_code == 200
    assert cold > 0
    assert warm == 0
    assert b"Violent crime rate" in again.content


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
    assert reverse("login") in response["Location"]


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
    _get(client, PLAN_NEW)  # the membership is cached now
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
    assert _get(client, beta)[0].status_code == 404  # "not a member" is cached too
    with scopes_disabled():
        Membership.objects.create(organization=org_b.org, user=org_a.editor, role="viewer")
    assert _get(client, beta)[0].status_code == 200


def test_removed_unit_is_gone_from_the_cached_membership(org_a):
    with scopes_disabled():
        membership = _membership(org_a, "contributor")
        membership.unit = org_a.team
        membership.save()
        assert identity.membership_for(org_a.contributor, "alpha").unit_id == org_a.team.pk
        assert identity.membership_for(org_a.contributor, "alpha").unit_id == org_a.team.pk
        org_a.team.delete()  # SET_NULL on the membership: an UPDATE with no signal
        assert identity.membership_for(org_a.contributor, "alpha").unit_id is None


def test_pages_are_served_from_the_database_when_the_cache_is_down(client, org_a, measure_a):
    client.force_login(org_a.editor)
    _get(client, PLAN)
    with (
        mock.patch.object(identity.cache, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(identity.cache, "set", side_effect=ConnectionError("down")),
    ):
        response, queries = _get(client, PLAN)
    assert response.status_code == 200
    assert queries > 0


def test_a_session_with_a_malformed_user_id_signs_nobody_in(db):
    assert identity.CachedModelBackend().get_user("not-a-number") is None
