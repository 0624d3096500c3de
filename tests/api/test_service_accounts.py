"""Service accounts (api.service_accounts): made by an admin on the Service accounts page,
never signing in, tokens only (issued and revoked by admins, or by create_api_token), out of
owner pickers, reminders, digests and people counts; a write through its token is recorded
with the token's name."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from api import service_accounts
from api.models import ApiToken
from ownership import digests
from ownership.models import Alert
from scorecards.models import MeasureValue
from strategyhub import members
from strategyhub.emails import send_templated
from strategyhub.forms import member_choices
from strategyhub.models import Membership, User

pytestmark = pytest.mark.usefixtures("clock")

PAGE = reverse("api_tokens:service_accounts", args=["alpha"])


def _secret(response) -> str:
    return re.search(r'value="(shk_[^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def feed(org_a):
    """An editor service account of agency A."""
    return service_accounts.create(org_a.org, name="CAD dispatch feed", role="editor")


def test_an_admin_makes_one_and_issues_its_token_shown_once(client, org_a, api, measure_a):
    client.force_login(org_a.admin)
    assert client.get(PAGE).status_code == 200
    made = client.post(PAGE, {"name": "Finance feed", "role": "editor"})
    assert made.status_code == 302
    with scopes_disabled():
        membership = Membership.objects.select_related("user").get(user__full_name="Finance feed")
    user = membership.user
    assert user.is_service_account and not user.has_usable_password()
    assert membership.role == "editor" and user.email.endswith("@service-accounts.invalid")

    prefix = f"account-{membership.pk}"
    issued = client.post(
        reverse("api_tokens:service_token", args=["alpha", membership.pk]),
        {f"{prefix}-name": "Finance nightly", f"{prefix}-scope": "write"},
    )
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"] or "no-cache" in issued["Cache-Control"]
    secret = _secret(issued)
    with scopes_disabled():
        token = ApiToken.objects.get(user=user)
    assert token.expires_at is None and token.created_by == org_a.admin
    assert secret not in client.get(PAGE).content.decode()

    # Its token writes values; the history names the account and the token.
    response = api.post(
        f"/measures/{measure_a.pk}/values", {"period": "2026-10-01", "value": 455}, secret
    )
    assert response.status_code == 201, response.content
    with scope(organization=org_a.org):
        record = MeasureValue.objects.get(pk=response.json()["id"]).history.latest()
    assert record.history_user == user
    assert record.history_change_reason == "API token “Finance nightly”"
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk]))
    assert "API token “Finance nightly”" in page.content.decode()

    # Revoked by the admin: it stops working.
    revoked = client.post(
        reverse("api_tokens:service_revoke", args=["alpha", membership.pk, token.pk])
    )
    assert revoked.status_code == 302
    assert api.get("/units", secret).status_code == 401


def test_bad_input_is_refused_with_a_message(client, org_a, feed):
    client.force_login(org_a.admin)
    for data, words in [
        ({"name": "", "role": "viewer"}, "required"),
        ({"name": "Root", "role": "admin"}, "Select a valid choice"),
        ({"name": "CAD dispatch feed", "role": "viewer"}, "service account of that name"),
    ]:
        response = client.post(PAGE, data)
        assert response.status_code == 400 and words in response.content.decode(), data
    with pytest.raises(service_accounts.ServiceAccountRefused):
        service_accounts.create(org_a.org, name="Root", role="admin")
    prefix = f"account-{feed.pk}"
    response = client.post(
        reverse("api_tokens:service_token", args=["alpha", feed.pk]),
        {f"{prefix}-name": "X", f"{prefix}-scope": "write", f"{prefix}-expires_in_days": "999"},
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert not ApiToken.objects.exists()
    # A person's membership is not a service account here.
    with scopes_disabled():
        person = Membership.objects.get(user=org_a.editor)
    response = client.post(
        reverse("api_tokens:service_token", args=["alpha", person.pk]),
        {f"account-{person.pk}-name": "X", f"account-{person.pk}-scope": "read"},
    )
    assert response.status_code == 404
    # Never an admin, not even later.
    with scope(organization=org_a.org), pytest.raises(members.MemberError):
        members.change_role(feed, "admin")


def test_another_agencys_account_and_a_non_admin_are_refused(client, org_a, org_b, feed):
    with scopes_disabled():
        token = service_accounts.issue_token(
            Membership.objects.select_related("organization", "user").get(pk=feed.pk),
            name="Nightly",
            scope="read",
            expires_in_days=None,
            by=org_a.admin,
        ).token
    client.force_login(org_b.admin)  # an admin of B, under B's slug, with A's ids
    response = client.post(reverse("api_tokens:service_revoke", args=["beta", feed.pk, token.pk]))
    assert response.status_code == 404
    client.force_login(org_a.editor)
    assert client.get(PAGE).status_code == 403
    tokens_page = client.get(reverse("api_tokens:list", args=["alpha"])).content.decode()
    assert PAGE not in tokens_page  # the link is for admins
    client.force_login(org_a.admin)
    assert PAGE in client.get(reverse("api_tokens:list", args=["alpha"])).content.decode()


def test_it_cannot_sign_in_even_with_a_password(client, org_a, feed, password):
    user = feed.user
    response = client.post(reverse("account_login"), {"login": user.email, "password": "x"})
    assert "_auth_user_id" not in client.session
    user.set_password(password)  # set behind the page's back: still refused
    user.save()
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 400)
    assert "do not match an active account" in response.content.decode()


def test_it_is_nobody_to_pick_remind_digest_or_count(client, org_a, feed):
    with scope(organization=org_a.org):
        assert feed.user not in set(member_choices(org_a.org))
        # Even an alert raised for it (it owns nothing, so none is) is never emailed.
        Alert.objects.create(
            organization=org_a.org,
            recipient=feed.user,
            kind="checkin_due",
            item_type="key_result",
            item_id=1,
            item_label="x",
            url="/",
            message="Your weekly check-in is due.",
            period="2026-W47",
            dedupe_key="test-feed",
        )
        digests.send_digests(org_a.org, "daily")
        digests.send_digests(org_a.org, "weekly")
    send_templated(feed.user.email, "Hello", "digest", {})
    assert not [m for m in mail.outbox if feed.user.email in m.to]
    client.force_login(org_a.admin)
    dashboard = client.get(reverse("agency:dashboard", args=["alpha"]))
    assert dashboard.context["member_counts"]["active"] == 4  # the four people only
    listed = client.get(reverse("agency:members", args=["alpha"])).content.decode()
    assert "CAD dispatch feed" in listed and "Service account" in listed


def test_create_api_token_works_for_its_email_and_deactivation_stops_it(org_a, api, feed):
    out = StringIO()
    call_command(
        "create_api_token",
        "--slug=alpha",
        f"--email={feed.user.email}",
        "--scopes=read,write",
        "--name=CAD nightly",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("shk_")
    assert api.get("/measures", secret).status_code in (200, 404)  # 404: no active plan
    assert api.get("/units", secret).status_code == 200
    with scope(organization=org_a.org):
        members.deactivate_member(feed, by=org_a.admin)
    assert api.get("/units", secret).status_code == 401
    with scopes_disabled():
        assert User.objects.get(pk=feed.user_id).is_service_account
