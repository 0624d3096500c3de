"""The Tokens page (create, shown once, revoke), the MFA rule, and create_api_token."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from api.models import ApiToken
from api.tokens import digest_of
from strategyhub.identity.models import SignInPolicy

URL = reverse("api_tokens:list", args=["alpha"])


def test_anonymous_and_other_agency(client, org_a, org_b):
    assert client.get(URL).status_code == 302
    client.force_login(org_b.admin)
    assert client.get(URL).status_code == 404


def test_create_shows_the_token_once_and_stores_its_hash(client, org_a, api):
    client.force_login(org_a.contributor)
    response = client.post(URL, {"name": "CAD export", "scope": "write", "expires_in_days": 30})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'value="(shk_[^"]+)"', page).group(1)
    with scopes_disabled():
        token = ApiToken.objects.get()
    assert token.digest == digest_of(secret) and secret not in token.digest
    assert token.user == org_a.contributor and token.scope == "write"
    again = client.get(URL).content.decode()
    assert secret not in again and f"shk_{token.prefix}" in again
    assert api.get("/units", secret).status_code == 200


def test_revoke(client, org_a, api):
    client.force_login(org_a.viewer)
    page = client.post(URL, {"name": "BI", "scope": "read", "expires_in_days": 30})
    secret = re.search(r'value="(shk_[^"]+)"', page.content.decode()).group(1)
    with scopes_disabled():
        token = ApiToken.objects.get()
    response = client.post(reverse("api_tokens:revoke", args=["alpha", token.pk]))
    assert response.status_code == 302
    assert api.get("/units", secret).status_code == 401
    assert "Revoked" in client.get(URL).content.decode()


def test_another_persons_token_cannot_be_revoked(client, org_a, make_token):
    token = make_token(org_a, "editor").token
    client.force_login(org_a.admin)
    response = client.post(reverse("api_tokens:revoke", args=["alpha", token.pk]))
    assert response.status_code == 404


def test_where_mfa_is_required_a_token_needs_an_mfa_session(client, org_a):
    with scopes_disabled():
        SignInPolicy.objects.create(organization=org_a.org, mfa_required="everyone")
    from api.tokens import session_may_create_tokens
    from strategyhub.identity.events import MFA_OK
    from strategyhub.models import Membership

    client.force_login(org_a.viewer)
    request = type("R", (), {"session": client.session})()
    with scopes_disabled():
        membership = Membership.objects.select_related("organization").get(user=org_a.viewer)
    assert not session_may_create_tokens(request, membership)
    session = client.session
    session[MFA_OK] = True
    session.save()
    request = type("R", (), {"session": client.session})()
    assert session_may_create_tokens(request, membership)


def test_create_api_token_prints_the_token_last(org_a, api):
    out = StringIO()
    call_command(
        "create_api_token",
        "--slug=alpha",
        "--email=editor@alpha.test",
        "--scopes=read,write",
        "--expires=7",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("shk_")
    with scope(organization=org_a.org):
        token = ApiToken.objects.get()
    assert token.scope == "write" and token.expires_at is not None
    assert api.get("/units", secret).status_code == 200
    with pytest.raises(CommandError):
        call_command("create_api_token", "--slug=alpha", "--email=nobody@x.test")
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", "--slug=alpha", "--email=editor@alpha.test", "--scopes=admin"
        )
