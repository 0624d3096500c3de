"""Benchmark support, active only with STRATEGYHUB_BENCH=1 (never in normal deployments):
an ``X-Query-Count`` response header, a hello-world view as the floor of the stack, and a
signed-in POST that does nothing, the floor of any staff write."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from strategyhub.permissions import Action, require


class QueryCountHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


@require(Action.VIEW)
@require_POST
def signed_in_post(request, org_slug: str):
    """What every staff write pays before its own work: session, signed-in user, agency
    membership, CSRF check, permission check and the parsed form; nothing else."""
    return HttpResponse(f"Received {len(request.POST)} fields", content_type="text/plain")
