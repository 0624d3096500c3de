"""The security history: sign-ins and changes to a person's second factors, recorded as
they happen (Django's and allauth's signals) and read by the person (profile) and by the
admins of each agency the person belongs to (``SecurityEvent.objects.of_members``)."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from strategyhub.identity.models import SecurityEvent, SecurityEventKind
from strategyhub.models import User

MFA_OK = "strategyhub.mfa_ok"  # this session signed in with, or set up, a second factor


def _client(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    from strategyhub.identity.throttling import client_ip

    return client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:200]


def record(
    user: User,
    kind: str,
    request: HttpRequest | None = None,
    *,
    detail: str = "",
    by: User | None = None,
    agency_name: str = "",
) -> SecurityEvent:
    ip, agent = _client(request)
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        detail=detail[:200],
        ip_address=ip,
        user_agent=agent,
        by=by,
        agency_name=agency_name,
    )


def has_second_factor(user: User) -> bool:
    return (
        Authenticator.objects.filter(user_id=user.pk)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


def _factor_name(authenticator: Any) -> str:
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        return f"Security key or passkey “{authenticator.wrap().name}”"
    return str(authenticator.get_type_display())


@receiver(user_logged_in, dispatch_uid="strategyhub.identity.events.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from strategyhub.identity.sso.signins import provider_sign_in

    signed_in = provider_sign_in(request, user)
    if signed_in is not None:
        provider = signed_in[0]
        record(
            user,
            SecurityEventKind.SIGNED_IN_SSO,
            request,
            detail=provider.label,
            agency_name=provider.organization.name,
        )
        return
    with_mfa = has_second_factor(user)  # allauth asks everyone who has one for it
    if with_mfa:
        request.session[MFA_OK] = True
    record(
        user,
        SecurityEventKind.SIGNED_IN_MFA if with_mfa else SecurityEventKind.SIGNED_IN,
        request,
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="strategyhub.identity.events.added")
def _added(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # made together with the first factor; that one is recorded
    request.session[MFA_OK] = True
    record(user, SecurityEventKind.MFA_ADDED, request, detail=_factor_name(authenticator))


@receiver(mfa_signals.authenticator_removed, dispatch_uid="strategyhub.identity.events.removed")
def _removed(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kw: Any) -> None:
    record(user, SecurityEventKind.MFA_REMOVED, request, detail=_factor_name(authenticator))


@receiver(mfa_signals.authenticator_reset, dispatch_uid="strategyhub.identity.events.reset")
def _reset(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record(user, SecurityEventKind.RECOVERY_CODES, request)
