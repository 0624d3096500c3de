"""The request-id middleware, first in the chain so that every response carries the id
(cached public pages, redirects and errors included) and every log line of the request
names it: the incoming ``X-Request-ID`` when it is sane (a load balancer's id follows the
request through), else a new one; echoed in the response's ``X-Request-ID``."""

from __future__ import annotations

from collections.abc import Callable

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from strategyhub.observability.context import new_request_id, request_id_var, sane_request_id

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.META.get("HTTP_X_REQUEST_ID")) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware chain
        # has returned; the id is cleared when the response is finished (below).
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="strategyhub.observability.clear_request_id")
def _clear_request_id(**kwargs: object) -> None:
    request_id_var.set(None)
