"""Ending a person's sessions from elsewhere: every session signed in is indexed
(``SignedInSession``, written on ``user_logged_in``), so an admin's reset of their second
factors, or their provider's refusal, can end them; the person is anonymous at their next
request."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from strategyhub.identity.models import SignedInSession
from strategyhub.models import User
from strategyhub.signals import member_deactivated


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def index_session(request: HttpRequest, user: User, via_organization_id: int | None) -> None:
    """Index this request's session for ``user`` (after sign-in), dropping the rows of the
    person's sessions that ended on their own."""
    session = request.session
    if not session.session_key:
        session.save()
    store = _store()
    for row in SignedInSession.objects.filter(user=user).only("pk", "session_key"):
        if row.session_key != session.session_key and not store().exists(row.session_key):
            row.delete()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "via_id": via_organization_id}
    )


def end_sessions(user: User, *, via: int | None = None, keep: str | None = None) -> int:
    """End ``user``'s sessions (only those signed in through agency ``via``'s provider, when
    given), except the session ``keep``. Returns how many were ended."""
    rows = SignedInSession.objects.filter(user=user)
    if via is not None:
        rows = rows.filter(via_id=via)
    if keep:
        rows = rows.exclude(session_key=keep)
    store = _store()
    ended = 0
    for row in list(rows):
        store().delete(row.session_key)
        row.delete()
        ended += 1
    return ended


@receiver(member_deactivated, dispatch_uid="strategyhub.identity.ended.deactivated")
def _deactivated(sender: Any, membership: Any, **kwargs: Any) -> None:
    """A member removed by the agency's admin: the sessions its provider signed in end."""
    user, organization_id = membership.user, membership.organization_id
    transaction.on_commit(lambda: end_sessions(user, via=organization_id))


@receiver(user_logged_out, dispatch_uid="strategyhub.identity.ended.signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            SignedInSession.objects.filter(session_key=key).delete()
