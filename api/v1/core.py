"""The API's frame: bearer-token authentication, the tenant scope, rate limiting, the
agency-dated ETag, and the error format — applied to every operation of ``v1_router``.

Every operation runs inside ``django_scopes.scope(organization=<the token's agency>)`` and
the agency's time zone, as the staff pages do (``strategyhub.middleware``): an id of another
agency is simply not found (404). The person the token acts as is ``request.user`` for the
operation, so history rows name them (and ``api.receivers`` adds the token's name).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django_scopes import scope  # type: ignore[import-untyped]  # no type hints
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from api import ratelimit, tokens
from strategyhub.permissions import MemberPermissions

CALLER = "api_caller"


class TokenAuth(HttpBearer):
    """``Authorization: Bearer shk_…``: the token's member, or 401."""

    def authenticate(self, request: HttpRequest, token: str) -> tokens.Caller | None:
        if not hasattr(request, CALLER):  # set by ``in_agency`` for every operation
            setattr(request, CALLER, tokens.authenticate(token))
        return getattr(request, CALLER)


def caller_of(request: HttpRequest) -> tokens.Caller:
    return request.auth  # type: ignore[attr-defined]


def error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _bearer(request: HttpRequest) -> str:
    value = request.headers.get("Authorization", "")
    kind, _, text = value.partition(" ")
    return text.strip() if kind.lower() == "bearer" else ""


def in_agency(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Operation decorator (``Router.add_decorator``, mode "view": around the
    authentication, the parsing and the rendering)."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        caller = tokens.authenticate(_bearer(request)) if _bearer(request) else None
        setattr(request, CALLER, caller)
        if caller is None:
            return run(request, *args, **kwargs)  # the auth check answers 401
        wait = ratelimit.retry_after(caller.token.prefix)
        if wait is not None:
            response = error(
                api, request, 429, f"Too many requests for this token; retry in {wait} s."
            )
            response["Retry-After"] = str(wait)
            return response
        if request.method not in ("GET", "HEAD") and not _is_json(request):
            return error(
                api, request, 415, "Send the body as JSON (Content-Type: application/json)."
            )
        organization = caller.organization
        request.user = caller.user
        request.organization = organization  # type: ignore[attr-defined]
        request.membership = caller.membership  # type: ignore[attr-defined]
        request.perms = MemberPermissions(caller.membership)  # type: ignore[attr-defined]
        with scope(organization=organization), timezone.override(organization.tz):
            answer = run(request, *args, **kwargs)
            if request.method == "GET" and answer.status_code == 200:
                answer = _with_etag(request, answer, organization.today().isoformat())
        return answer

    return wrapped


def _is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or not request.body


def _with_etag(request: HttpRequest, response: HttpResponseBase, today: str) -> HttpResponseBase:
    """A weak ETag over the body and the agency's date (statuses move with the calendar);
    ``If-None-Match`` with it answers 304 with no body."""
    content = getattr(response, "content", None)
    if content is None:
        return response
    tag = 'W/"' + hashlib.sha256(content + today.encode()).hexdigest()[:32] + '"'
    given = [part.strip() for part in request.headers.get("If-None-Match", "").split(",")]
    if tag in given or "*" in given:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = tag
        return not_modified
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


api = NinjaAPI(
    title="StrategyHub API",
    version="1",
    description=(
        "Read an agency's scorecard and OKRs; feed measure values and check-ins. "
        "Authenticate with `Authorization: Bearer <token>` (create a token on the Tokens "
        "page of your agency). See docs/api.md for the guide, errors and limits."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
)

v1_router = Router()
v1_router.add_decorator(in_agency, mode="view")


@api.exception_handler(ValidationError)
def _malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A body or parameter of the wrong shape (text for a number, a missing field): 400
    with a message per field."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path")]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(item.get("msg", "")))
    return error(api, request, 400, "The request is malformed.", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error(
        api, request, 401, "A valid token is needed (missing, unknown, expired or revoked)."
    )
    response["WWW-Authenticate"] = 'Bearer realm="StrategyHub"'
    return response
