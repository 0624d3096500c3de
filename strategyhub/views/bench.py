"""Benchmark support, active only with STRATEGYHUB_BENCH=1 (never in normal deployments):
an ``X-Query-Count`` response header, a hello-world view as the floor of the stack, and a
signed-in POST that does nothing, the floor of any staff write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from strategyhub.permissions import Action, require


class QueryCountHeaderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


@require(Action.VIEW)
@require_POST
def signed_in_post(request: HttpRequest, org_slug: str) -> HttpResponse:
    """What every staff write pays before its own work: session, signed-in user, agency
    membership, CSRF check, permission check and the parsed form; nothing else."""
    return HttpResponse(f"Received {len(request.POST)} fields", content_type="text/plain")
