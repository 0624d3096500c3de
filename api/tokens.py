"""Issuing, revoking and checking API tokens (the one place their rules live).

``issue`` returns the token text once; only its SHA-256 is kept. ``authenticate`` finds a
token by its prefix, compares the hash in constant time and answers with the member it acts
as, or None when the token is unknown, revoked, expired, or its person no longer has access
here (``person_still_allowed``). Two checks name what identity decides, so the rules of
``strategyhub.identity`` are applied in one place:

``session_may_create_tokens(request)``
    Where the agency requires two-factor sign-in for the member's role, a token can only be
    created from a session that passed it (``strategyhub.identity.events.MFA_OK``).
``person_still_allowed(membership)``
    A personal token dies with its person's access: an inactive user or membership (deactivated
    or removed: the token's membership row is looked up on every request) gets 401. An agency's
    SSO provider that stops letting the person in deactivates the membership
    (``strategyhub.identity.sso.provisioning.deprovision``), so its refusal counts here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

from api.models import ApiToken, Scope
from strategyhub.models import Membership, Organization, User

TOKEN_START = "shk_"  # noqa: S105 (the public start of every token, not a secret)
PREFIX_LENGTH = 8
LAST_USED_PRECISION = dt.timedelta(minutes=1)
"""``last_used_at`` is written at most once a minute per token (reads stay cheap)."""
MAX_EXPIRY_DAYS = 366


class TokenRefused(Exception):
    """A token the rules do not allow to be created; the message says why."""


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # the whole token text; shown once, never stored


@dataclass(frozen=True)
class Caller:
    """Who a request's token acts as."""

    token: ApiToken
    membership: Membership

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def user(self) -> User:
        return self.membership.user


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _parse(text: str) -> str | None:
    """The prefix of a well-formed token text, else None."""
    if not text.startswith(TOKEN_START):
        return None
    prefix, _, secret = text[len(TOKEN_START) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or len(secret) < 32:
        return None
    return prefix


def session_may_create_tokens(request: HttpRequest, membership: Membership) -> bool:
    """See the module docstring."""
    from strategyhub.identity.events import MFA_OK
    from strategyhub.identity.sessions import policy_of

    policy = policy_of(membership.organization)
    if policy is None or not policy.requires_mfa(membership.role):
        return True
    return bool(request.session.get(MFA_OK))


def person_still_allowed(membership: Membership) -> bool:
    """See the module docstring."""
    return membership.is_active and membership.user.is_active and membership.organization.is_active


@transaction.atomic
def issue(
    membership: Membership,
    *,
    name: str,
    scope: str = Scope.READ,
    expires_in_days: int | None = 90,
    created_by: User | None = None,
) -> Issued:
    """A new token for ``membership``'s person in its agency. ``expires_in_days`` None: no
    expiry (service accounts); otherwise 1 to ``MAX_EXPIRY_DAYS``. A viewer's token reads
    only (a write scope would never be usable)."""
    name = name.strip()
    if not name:
        raise TokenRefused(gettext("Give the token a name (what will use it)."))
    if scope not in Scope.values:
        raise TokenRefused(gettext("Choose read or read and write."))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise TokenRefused(
            gettext("Choose an expiry of 1 to %(MAX_EXPIRY_DAYS)s days.")
            % {"MAX_EXPIRY_DAYS": MAX_EXPIRY_DAYS}
        )
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    text = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization=membership.organization,
        user=membership.user,
        name=name[:100],
        prefix=prefix,
        digest=digest_of(text),
        scope=scope,
        expires_at=(
            timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        ),
        created_by=created_by or membership.user,
    )
    return Issued(token=token, secret=text)


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate(text: str) -> Caller | None:
    """The member a token text acts as, or None (unknown, revoked, expired, no access)."""
    prefix = _parse(text or "")
    if prefix is None:
        return None
    with scopes_disabled():  # found by its unique prefix; the hash decides
        token = (
            ApiToken.objects.select_related("organization", "user").filter(prefix=prefix).first()
        )
        if token is None or not hmac.compare_digest(token.digest, digest_of(text)):
            return None
        if not token.is_usable:
            return None
        membership = (
            Membership.objects.select_related("organization", "user", "unit")
            .filter(organization_id=token.organization_id, user_id=token.user_id)
            .first()
        )
    if membership is None or not person_still_allowed(membership):
        return None
    _touch(token)
    return Caller(token=token, membership=membership)


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
