"""Benchmark support, active only with STRATEGYHUB_BENCH=1 (never in normal deployments):
an ``X-Query-Count`` response header and a hello-world view as the floor of the stack."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse


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
