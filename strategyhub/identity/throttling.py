"""Failed sign-ins, throttled by django-axes (docs/security.md).

A lock is on the pair (email address, client address): ``AXES_FAILURE_LIMIT`` failures of
one address from one client lock that pair for ``AXES_COOLOFF_TIME``, the right password
included, and every further failure during the lock starts the wait again. Someone else,
or the same person from another network, still signs in: nobody can lock out another
person, let alone a whole agency. Attempts and locks are rows in PostgreSQL (they survive
Redis being down, and platform staff see them in Django admin), and axes logs each failure
and each lock at WARNING.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from strategyhub.models import UserManager


class ThrottledModelBackend(AxesBackend):
    """axes' backend, first in ``AUTHENTICATION_BACKENDS``: refuses a locked-out pair before
    any password is checked. A call without a request (``authenticate()`` in a shell or a
    test client's ``login``) is no sign-in from a client and is not throttled."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email address tried, normalised as accounts store it (case does not make a new
    pair): from the credentials (allauth passes ``email``, Django admin ``username``), else
    the posted form."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None:
        data = getattr(request, "POST", {})
        value = data.get("login") or data.get("username")
    return UserManager.normalize(value) if value else None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address by allauth's rule (``ALLAUTH_TRUSTED_PROXY_COUNT``), so the two
    throttles agree on who the client is; None for a request made in code (a test
    client's ``force_login``), which has none."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The sign-in page again, status 429, saying why and what to do."""
    from django.conf import settings

    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(
        request,
        "account/locked_out.html",
        {"minutes": minutes, "email": client_username(request, credentials) or ""},
        status=429,
    )
