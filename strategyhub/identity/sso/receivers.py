"""On a sign-in through an agency's provider (allauth's signal, which carries the
provider's answer): its grant is recorded (the refresh token, encrypted) for the periodic
check (``grants``)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="strategyhub.identity.sso.receivers.grant")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or sociallogin.provider.app is None:
        return
    from strategyhub.identity.sso.adapter import provider_of_app
    from strategyhub.identity.sso.grants import record_grant

    token = getattr(sociallogin, "token", None)
    refresh_token = getattr(token, "token_secret", "") if token is not None else ""
    record_grant(provider_of_app(sociallogin.provider.app), user, refresh_token or "")
