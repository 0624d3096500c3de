"""Which agency's identity provider signed a person in with a request, and the identity's
claims: read by the sign-in record (``identity.events``), the session rules
(``identity.sessions``) and the adapter. Kept apart from the adapter, which imports
provisioning and through it the event record, so that those can ask this without a circle."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity.sso.models import IdentityProvider


def provider_sign_in(request: HttpRequest, user: Any) -> tuple[IdentityProvider, dict] | None:
    """The agency provider that signed ``user`` in with this request, with the identity's
    claims, or None (a password, an invitation). Read from allauth's record of this
    session's authentications (the last one that is not a second factor), checked
    against the person's linked identities."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.socialaccount.models import SocialAccount

    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    last = next((r for r in reversed(records) if r.get("method") != "mfa"), None)
    if not last or last.get("method") != "socialaccount":
        return None
    account = SocialAccount.objects.filter(
        user_id=user.pk, provider=last.get("provider"), uid=last.get("uid")
    ).first()
    if account is None:
        return None
    with scopes_disabled():
        provider = (
            IdentityProvider._base_manager.select_related("organization")
            .filter(app_id=account.provider)
            .first()
        )
    if provider is None:
        return None
    return provider, claims_of_data(account.extra_data or {})


def claims_of_data(data: dict) -> dict[str, Any]:
    if "userinfo" in data or "id_token" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return dict(data)
