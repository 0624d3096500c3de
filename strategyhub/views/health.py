"""The health endpoints: ``/healthz/live``, ``/healthz/ready`` and ``/healthz`` (an alias of
``/healthz/ready`` for existing load balancers). What each answers: ``strategyhub.health``.

Load balancers and container health checks probe by IP address (``127.0.0.1``, the node's
address) and over plain HTTP, so ``HealthCheckMiddleware`` answers these paths first in the
middleware list: before ``SecurityMiddleware``'s HTTPS redirect and before anything reads
the Host header against ``ALLOWED_HOSTS`` (``CommonMiddleware``, CSRF). Nothing in their
answers depends on the host. The URL patterns route the same views, for ``reverse()`` and
for a deployment that leaves the middleware out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

from strategyhub import health

READ_METHODS = ("GET", "HEAD")


def _answer(request: HttpRequest, body: dict, status: int = 200) -> HttpResponse:
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


def live(request: HttpRequest) -> HttpResponse:
    """200 while the process answers; no service is asked."""
    return _answer(request, {"status": health.OK})


def ready(request: HttpRequest) -> HttpResponse:
    """200 while the database answers (``degraded`` in the body when Redis does not); 503
    when the database does not."""
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    state, checks = health.readiness()
    return _answer(
        request,
        {"status": state, "checks": checks},
        status=503 if state == health.UNAVAILABLE else 200,
    )


ROUTES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz/live": live,
    "/healthz/ready": ready,
    "/healthz": ready,
}


class HealthCheckMiddleware:
    """Answers the health paths before host validation and the HTTPS redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = ROUTES.get(request.path_info.rstrip("/") or "/")
        if view is None:
            return self.get_response(request)
        return view(request)
