"""A provider's grant to each person it signed in, kept and checked again.

On each SSO sign-in the grant is recorded (OpenID Connect: with its refresh token,
encrypted). Every ``CHECK_EVERY`` the refresh token is used: a provider that answers with
new tokens still lets the person in; one that refuses (``invalid_grant``: the person was
disabled or their grant revoked there) no longer does, and the person is deprovisioned
(``provisioning.deprovision``: membership deactivated, sessions through the provider
ended, API tokens dead with the membership). A provider that cannot be reached changes
nothing (it is tried again next time)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

import requests
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity import encryption
from strategyhub.identity.sso import fetch, provisioning
from strategyhub.identity.sso.models import IdentityProvider, Protocol, ProviderGrant
from strategyhub.models import Membership, User

logger = logging.getLogger("strategyhub.identity.sso")
CHECK_EVERY = dt.timedelta(minutes=15)
BATCH = 200


def record_grant(provider: IdentityProvider, user: User, refresh_token: str) -> None:
    with scopes_disabled():
        ProviderGrant._base_manager.update_or_create(
            organization=provider.organization,
            user=user,
            defaults={
                "app_id": provider.app_id,
                "refresh_token_encrypted": encryption.encrypt(refresh_token)
                if refresh_token
                else "",
                "signed_in_at": timezone.now(),
                "checked_at": timezone.now(),
                "refused_at": None,
                "refused_reason": "",
            },
        )


def _refresh(provider: IdentityProvider, refresh_token: str) -> tuple[bool, str]:
    """(still allowed, new refresh token) from the provider's token endpoint. Raises
    RequestException when the provider cannot be asked."""
    from strategyhub.identity.sso.adapter import app_for
    from strategyhub.identity.sso.oidc import client_auth_fields

    app = app_for(provider)
    with fetch.session() as sess:
        config = sess.get(f"{provider.issuer}/.well-known/openid-configuration")
        config.raise_for_status()
        token_endpoint = config.json()["token_endpoint"]
        fields, auth = client_auth_fields(app, token_endpoint)
        response = sess.post(
            token_endpoint,
            data={"grant_type": "refresh_token", "refresh_token": refresh_token, **fields},
            auth=auth,
        )
    if response.status_code == 200:
        return True, str(response.json().get("refresh_token") or refresh_token)
    body: Any = {}
    with contextlib.suppress(ValueError):
        body = response.json()
    if response.status_code in (400, 401) and body.get("error") in (
        "invalid_grant",
        "unauthorized_client",
    ):
        return False, ""
    raise requests.RequestException(f"token endpoint answered {response.status_code}")


def check_grant(grant: ProviderGrant) -> bool:
    """Ask the provider again; False when it refused (the person is deprovisioned)."""
    provider = grant.organization.identity_provider
    token = encryption.decrypt(grant.refresh_token_encrypted)
    try:
        allowed, new_token = _refresh(provider, token)
    except (requests.RequestException, KeyError, ValueError) as exc:
        logger.warning("Provider grant check of %s failed: %s", grant.app_id, exc)
        return True
    with scopes_disabled():
        if allowed:
            ProviderGrant._base_manager.filter(pk=grant.pk).update(
                refresh_token_encrypted=encryption.encrypt(new_token), checked_at=timezone.now()
            )
            return True
        membership = (
            Membership._base_manager.filter(
                organization_id=grant.organization_id, user_id=grant.user_id
            )
            .select_related("organization", "user")
            .first()
        )
    if membership is not None:
        provisioning.deprovision(membership, "the identity provider refused to renew access")
    return False


def check_due_grants(now: dt.datetime | None = None) -> int:
    """Check the grants not checked for ``CHECK_EVERY``; returns how many were refused."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            ProviderGrant._base_manager.select_related("organization__identity_provider", "user")
            .filter(
                refused_at=None,
                organization__identity_provider__protocol=Protocol.OIDC,
                organization__identity_provider__enabled=True,
            )
            .exclude(refresh_token_encrypted="")
            .filter(Q(checked_at=None) | Q(checked_at__lt=now - CHECK_EVERY))
            .order_by("checked_at")[:BATCH]
        )
    return sum(0 if check_grant(grant) else 1 for grant in due)
