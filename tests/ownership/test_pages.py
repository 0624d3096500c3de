"""Ownership pages: access, inline reassignment, hand-over, notifications, settings."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import KeyResult, OkrObjective
from ownership import alerts as alert_service
from ownership.models import Alert, OwnershipSettings
from scorecards.models import Measure, StrategicObjective

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def _urls(slug="alpha"):
    return [
        reverse("ownership:page", args=[slug]),
        reverse("ownership:notifications", args=[slug]),
        reverse("ownership:preferences", args=[slug]),
        reverse("ownership:workflow", args=[slug]),
    ]


def test_access(client, org_a, org_b, okr, kr_response):
    for url in [*_urls(), reverse("ownership:settings", args=["alpha"])]:
        assert client.get(url).status_code == 302
    client.force_login(org_b.admin)
    for url in _urls():
        assert client.get(url).status_code == 404
    client.force_login(org_a.viewer)
    for url in _urls():
        assert client.get(url).status_code == 200
    assert client.get(reverse("ownership:settings", args=["alpha"])).status_code == 403
    reassign = reverse("ownership:reassign", args=["alpha", "key_result", kr_response.pk])
    assert client.post(reassign, {"owner": org_a.editor.pk}).status_code == 403
    assert client.post(reverse("ownership:transfer", args=["alpha"]), {}).status_code == 403
    # Agency B's slug with agency A's item id: not found.
    client.force_login(org_b.admin)
    other = reverse("ownership:reassign", args=["beta", "key_result", kr_response.pk])
    assert client.post(other, {"owner": org_b.editor.pk}).status_code == 404


def test_page_shows_gaps_and_the_owned_vs_unowned_comparison(
    client, org_a, measure_a, okr, kr_response
):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=None)
    client.force_login(org_a.viewer)
    body = client.get(reverse("ownership:page", args=["alpha"])).content.decode()
    gaps = body.split("Gaps (")[1]
    assert "Violent crime rate" in gaps and "Unowned" in gaps
    assert "Published reference" in body and "23.6%" in body and "9.7%" in body


def test_inline_reassignment_with_htmx(client, org_a, okr, kr_response, org_b):
    client.force_login(org_a.editor)
    url = reverse("ownership:reassign", args=["alpha", "key_result", kr_response.pk])
    refused = client.post(url, {"owner": org_b.viewer.pk}, headers={"HX-Request": "true"})
    assert refused.status_code == 400 and b"Choose a member of this agency" in refused.content
    ok = client.post(url, {"owner": org_a.editor.pk}, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and b"Now owned by" in ok.content
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_response.pk).owner == org_a.editor


def test_hand_over_everything(client, org_a, objective_a, okr, kr_response, kr_patrols):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("ownership:transfer", args=["alpha"]),
        {"from_user": org_a.contributor.pk, "to_user": org_a.editor.pk},
        follow=True,
    )
    assert b"2 item(s) moved" in response.content
    with scope(organization=org_a.org):
        assert not KeyResult.objects.filter(owner=org_a.contributor).exists()


def test_notifications_bell_and_mark_read(client, org_a, okr, kr_response):
    with scope(organization=org_a.org):
        alert_service.scan(org_a.org, TODAY)
    client.force_login(org_a.contributor)
    page = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    assert '<span class="sh-bell-count">1</span>' in page
    listing = client.get(reverse("ownership:notifications", args=["alpha"])).content.decode()
    assert "Check-in overdue" in listing
    client.post(reverse("ownership:mark_all_read", args=["alpha"]))
    page = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    assert "sh-bell-count" not in page
    with scope(organization=org_a.org):
        assert not Alert.objects.unread_for(org_a.contributor).exists()


def test_switching_the_weekly_digest_off_needs_a_reason(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("ownership:settings", args=["alpha"])
    data = {
        "checkin_stale_days": 14,
        "measure_grace_days": 15,
        "checkin_weekday": 0,
        "reminder_hour": 9,
        "digest_hour": 7,
    }
    refused = client.post(url, data)  # the checkbox is unticked, no reason given
    assert refused.status_code == 400 and b"Say why" in refused.content
    client.post(url, {**data, "digest_off_reason": "Council reviews ownership monthly instead."})
    with scope(organization=org_a.org):
        assert OwnershipSettings.objects.get().weekly_unowned_digest is False


def test_workflow_lists_missing_check_ins_and_reminds(
    client, org_a, okr, kr_response, django_capture_on_commit_callbacks
):
    client.force_login(org_a.editor)
    url = reverse("ownership:workflow", args=["alpha"])
    body = client.get(url).content.decode()
    assert kr_response.title in body.split("Missing this week")[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert b"1 reminder(s) sent" in response.content


def test_ownership_page_queries_stay_bounded_with_5000_items(
    client, org_a, plan_a, objective_a, quarter, django_assert_max_num_queries, cold_pages
):
    with scopes_disabled():
        perspective = plan_a.perspectives.first()
        objectives = StrategicObjective.objects.bulk_create(
            StrategicObjective(
                organization=org_a.org,
                plan=plan_a,
                perspective=perspective,
                title=f"Objective {i}",
                owner=org_a.editor if i % 2 else None,
            )
            for i in range(500)
        )
        Measure.objects.bulk_create(
            Measure(
                organization=org_a.org,
                objective=objectives[i % 500],
                name=f"M {i}",
                baseline_value=D(1),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(2),
                owner=org_a.contributor if i % 3 else None,
            )
            for i in range(1500)
        )
        okrs = OkrObjective.objects.bulk_create(
            OkrObjective(
                organization=org_a.org,
                cycle=quarter,
                level="team",
                title=f"O {i}",
                owner=org_a.editor if i % 4 else None,
            )
            for i in range(1000)
        )
        KeyResult.objects.bulk_create(
            KeyResult(
                organization=org_a.org,
                objective=okrs[i % 1000],
                title=f"KR {i}",
                kind="metric",
                start_value=D(0),
                target_value=D(1),
                owner=org_a.contributor if i % 5 else None,
            )
            for i in range(2000)
        )
    client.force_login(org_a.viewer)
    client.get(reverse("ownership:page", args=["alpha"]))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ownership:page", args=["alpha"]))
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["objective", "nothing"])
def test_reassign_unknown_kind_is_refused(client, org_a, kind):
    client.force_login(org_a.admin)
    url = reverse("ownership:reassign", args=["alpha", kind, 1])
    response = client.post(url, {"owner": org_a.editor.pk})
    assert response.status_code == 404


def test_with_many_members_the_reassign_form_is_fetched_on_demand(
    client, org_a, org_b, okr, kr_response
):
    from tests.factories import MembershipFactory, UserFactory

    with scopes_disabled():
        KeyResult.objects.filter(pk=kr_response.pk).update(owner=None)
        for _ in range(31):
            MembershipFactory(organization=org_a.org, user=UserFactory(), role="contributor")
    url = reverse("ownership:reassign", args=["alpha", "key_result", kr_response.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(org_a.editor)
    page = client.get(reverse("ownership:page", args=["alpha"])).content.decode()
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert 'name="owner"' not in page  # no select of 35 people on every row
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<form") and "autofocus" in fragment
    assert fragment.count("<option") == 1 + 34  # every member but the viewer
    full = client.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<h1>Reassign “Respond to serious incidents in under 8 min”</h1>" in full
    client.force_login(org_a.viewer)
    assert client.get(url).status_code == 403
    client.force_login(org_b.admin)
    assert client.get(url).status_code == 404


def test_with_many_members_the_hand_over_form_has_a_page_of_its_own(client, org_a, org_b):
    """Two pickers of every member are not rendered on the ownership page of a large agency:
    it links to the hand-over page, which works for an admin only, in their own agency."""
    from tests.factories import MembershipFactory, UserFactory

    url = reverse("ownership:transfer", args=["alpha"])
    client.force_login(org_a.admin)
    small = client.get(reverse("ownership:page", args=["alpha"])).content.decode()
    assert 'name="from_user"' in small  # a handful of members: the form on the page
    with scopes_disabled():
        for _ in range(31):
            MembershipFactory(organization=org_a.org, user=UserFactory(), role="contributor")
    page = client.get(reverse("ownership:page", args=["alpha"])).content.decode()
    assert 'name="from_user"' not in page and f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert "<h1>Hand over everything one person owns</h1>" in body
    assert body.count('name="from_user"') == 1 and body.count('name="to_user"') == 1
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(org_a.editor)
    assert client.get(url).status_code == 403
    client.force_login(org_b.admin)
    assert client.get(url).status_code == 404
