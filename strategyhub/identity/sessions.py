"""Session lifetime and idle timeout, per agency (docs/security.md).

Two times are kept in the session: when the person signed in (set on ``user_logged_in``)
and when this session last made a request (refreshed at most once a minute, so an active
session is written once a minute rather than on every request). On entry to an agency's
staff pages (``/o/<slug>/``) its ``SignInPolicy`` is applied: a session older than the
agency's lifetime, or idle longer than its idle timeout, is signed out and sent to sign in
again, with a message saying why. The policy comes with the membership query the tenant
middleware makes anyway (``memberships_of``): the rules cost no query.

An agency that requires two-factor sign-in (for everyone, or for its admins) sends a
member whose session has no second factor to set one up (``mfa_index``) first.

Idle time is the session's, not the agency's: someone working in agency B is not idle,
and their session is not ended when they come back to agency A.

Single sign-on: the session records which agency's provider signed it in
(``SIGNED_IN_VIA``; None for a password). Such a session opens that agency only: another
agency that requires SSO sends it to its own provider, any other asks for a sign-in again.
An agency that requires SSO sends a password session to its provider.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

SIGNED_IN_AT = "strategyhub.signed_in_at"
SEEN_AT = "strategyhub.seen_at"
SEEN_PRECISION = 60  # seconds: how stale the "last request" time may be
SIGNED_IN_VIA = "strategyhub.signed_in_via"  # the agency whose provider signed the session in
# ``amr`` values (RFC 8176) by which a provider says it asked for a second factor.
MFA_METHODS = {"mfa", "otp", "hwk", "swk", "sc", "fido"}


@receiver(user_logged_in, dispatch_uid="strategyhub.identity.sessions.stamp")
def stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from strategyhub.identity.ended import index_session
    from strategyhub.identity.events import MFA_OK

    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    from strategyhub.identity.sso.signins import provider_sign_in

    via = None
    signed_in = provider_sign_in(request, user)
    if signed_in is not None:
        provider, claims = signed_in
        via = provider.organization_id
        amr = claims.get("amr") or []
        if MFA_METHODS & set(amr if isinstance(amr, list) else [amr]):
            request.session[MFA_OK] = True  # the agency's provider asked for a second factor
    request.session[SIGNED_IN_VIA] = via
    index_session(request, user, via)


def policy_of(organization: Any) -> Any | None:
    """The agency's SignInPolicy, from the membership query's select_related (no query)."""
    try:
        return organization.sign_in_policy
    except ObjectDoesNotExist:
        return None


def expiry_reason(session: Any, policy: Any, now: float) -> str | None:
    """Why ``session`` may not enter an agency with ``policy`` at ``now``, or None."""
    if policy is None:
        return None
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    lifetime = policy.session_lifetime_minutes
    if lifetime and signed_in_at is not None and now - signed_in_at > lifetime * 60:
        return f"signs people out {_minutes(lifetime)} after they sign in"
    idle = policy.idle_timeout_minutes
    if idle and seen_at is not None and now - seen_at > idle * 60 + SEEN_PRECISION:
        return f"signs people out after {_minutes(idle)} without activity"
    return None


def _minutes(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _has_mfa(request: HttpRequest) -> bool:
    """Whether this session signed in with, or has since set up, a second factor (kept in
    the session once true, so it costs a query only until then)."""
    from strategyhub.identity.events import MFA_OK, has_second_factor

    if request.session.get(MFA_OK):
        return True
    if has_second_factor(request.user):  # type: ignore[arg-type]
        request.session[MFA_OK] = True
        return True
    return False


def _sso_refusal(request: HttpRequest, organization: Any, policy: Any) -> HttpResponse | None:
    """Where single sign-on decides: a session signed in through another agency's provider
    opens that agency only; an agency that requires SSO sends others to its provider."""
    from django.urls import reverse
    from django.utils.http import urlencode

    via = request.session.get(SIGNED_IN_VIA)
    if via == organization.pk:
        return None
    path = request.get_full_path()
    if policy is not None and policy.sso_required:
        messages.info(
            request,
            gettext("%(agency)s requires signing in through its provider.")
            % {"agency": organization.name},
        )
        start = reverse("sso_start", kwargs={"agency": organization.slug})
        return redirect(f"{start}?{urlencode({'next': path})}")
    if via is not None:
        logout(request)
        messages.info(
            request,
            gettext(
                "You signed in through another agency's identity provider, which opens that "
                "agency only. Sign in again to open %(agency)s."
            )
            % {"agency": organization.name},
        )
        return redirect_to_login(path)
    return None


class AgencySessionMiddleware:
    """After the tenant middleware: applies the agency's session rules on ``/o/<slug>/``
    and keeps the session's last-request time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = time.time()
        membership = getattr(request, "membership", None)
        if membership is not None:
            organization = membership.organization
            reason = expiry_reason(session, policy_of(organization), now)
            if reason is not None:
                path = request.get_full_path()
                logout(request)
                messages.info(
                    request,
                    gettext("You were signed out: %(name)s %(reason)s. Sign in again.")
                    % {"name": organization.name, "reason": reason},
                )
                return redirect_to_login(path)
            policy = policy_of(organization)
            refusal = _sso_refusal(request, organization, policy)
            if refusal is not None:
                return refusal
            needs_mfa = policy is not None and policy.requires_mfa(membership.role)
            if needs_mfa and not _has_mfa(request):
                messages.warning(
                    request,
                    gettext(
                        "%(name)s requires two-factor sign-in. Set up an authenticator app or a "
                        "security key to continue."
                    )
                    % {"name": organization.name},
                )
                return redirect("mfa_index")
        if session.get(SIGNED_IN_AT) is None:
            # A session from before these rules: its lifetime counts from now.
            session[SIGNED_IN_AT] = int(now)
        seen_at = session.get(SEEN_AT)
        if seen_at is None or now - seen_at >= SEEN_PRECISION:
            session[SEEN_AT] = int(now)
        return self.get_response(request)
