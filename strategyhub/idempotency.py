"""Do a write once, however many times it is asked for: the server-side guard against a
double-clicked submit, a browser's resent POST and (later) an API client's retry.

The mechanism is a key the client sends with the write and a row in PostgreSQL
(``strategyhub.models.IdempotencyKey``, unique per agency, person, scope and key). The
first request inserts the row inside its own transaction and does the write; a second
request with the same key blocks on the unique index until the first commits, then finds
the row and answers with the first one's result instead of writing again. If the first
write fails (it raises, or the action reports a refusal by returning ``None``) its row goes
with it, so the key can be used again.

API
---
``run_once(organization, user, scope, key, action, summarise, fingerprint="")``
    Run ``action()`` unless ``key`` was already used for ``scope`` by ``user`` in
    ``organization``. Returns an :class:`Outcome`: ``replayed`` is False with ``result``
    (the action's return value) the first time, True with the stored ``summary`` (what
    ``summarise(result)`` returned, a JSON-able dict) on a repeat. ``key`` empty or
    malformed (:func:`valid_key`): no guard, the action simply runs (old forms, scripts).
    ``fingerprint`` (e.g. a hash of the request body, :func:`fingerprint_of`): the same key
    with a different fingerprint raises :class:`KeyReused` (the API answers it with 422, as
    an Idempotency-Key header reused for a different body must).
    Call it from a view with the key from the form; ``scope`` names the write and its
    target, e.g. ``f"okrs.checkin:{key_result.pk}"``.

Forms: add :func:`form_field` as a field named :data:`FIELD` (``idempotency_key``). It is
rendered with :data:`PLACEHOLDER` as its value, and :class:`FillTokensMiddleware` replaces
every placeholder of an HTML response with a fresh key — per response, so a page replayed
from the staff page cache still gets new keys (two tabs of one cached page never share a
key). A form re-shown with errors keeps the key it was posted with (nothing was written).

API (later): the ``Idempotency-Key`` request header is the key, the scope the endpoint,
the fingerprint the request body's hash; a replay answers with the stored summary.

Old keys are pruned by :func:`prune` (``strategyhub.tasks.prune_idempotency_keys``, daily):
a key protects against repeats for :data:`KEEP` (a day), as the API's will.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from strategyhub.models import IdempotencyKey, Organization, User

T = TypeVar("T")

FIELD = "idempotency_key"
KEEP = dt.timedelta(days=1)
# Rendered as the hidden field's value; never accepted as a key itself (valid_key).
PLACEHOLDER = "idem0placeholder0filled0per0response0000000"
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,100}$")


class KeyReused(Exception):
    """The key was used before for a different request (another fingerprint)."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    replayed: bool
    result: T | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def valid_key(key: str | None) -> bool:
    return bool(key) and bool(_KEY.match(key or "")) and key != PLACEHOLDER


def fingerprint_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_once(
    organization: Organization,
    user: User,
    scope: str,
    key: str | None,
    action: Callable[[], T | None],
    summarise: Callable[[T], dict[str, Any]],
    fingerprint: str = "",
) -> Outcome[T]:
    """See the module docstring."""
    if key is None or not valid_key(key):
        return Outcome(replayed=False, result=action())
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    organization=organization,
                    user=user,
                    scope=scope,
                    key=key,
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            earlier = IdempotencyKey.objects.get(
                organization=organization, user=user, scope=scope, key=key
            )
            if fingerprint and earlier.fingerprint and fingerprint != earlier.fingerprint:
                raise KeyReused(scope) from None
            return Outcome(replayed=True, summary=earlier.response)
        result = action()
        if result is None:  # refused: the key was not spent
            record.delete()
            return Outcome(replayed=False, result=None)
        record.response = summarise(result)
        record.save(update_fields=["response"])
        return Outcome(replayed=False, result=result, summary=record.response)


def prune(now: dt.datetime | None = None) -> int:
    """Delete the keys older than :data:`KEEP` (every agency; called by a beat task)."""
    from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

    cutoff = (now or timezone.now()) - KEEP
    with scopes_disabled():
        deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def form_field() -> forms.CharField:
    """The hidden field a form carries its key in (name it :data:`FIELD`)."""
    return forms.CharField(
        required=False, initial=PLACEHOLDER, widget=forms.HiddenInput, max_length=100
    )


class FillTokensMiddleware:
    """Replace each :data:`PLACEHOLDER` in an HTML response with its own fresh key."""

    _placeholder = PLACEHOLDER.encode()

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and self._placeholder in response.content  # type: ignore[attr-defined]
        ):
            parts = response.content.split(self._placeholder)  # type: ignore[attr-defined]
            # One join, not a concatenation per form (My check-ins has a form per card).
            keys = [new_key().encode() for _ in parts[1:]]
            body = parts[0] + b"".join(
                key + part for key, part in zip(keys, parts[1:], strict=True)
            )
            response.content = body  # type: ignore[attr-defined]
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(body))
        return response
