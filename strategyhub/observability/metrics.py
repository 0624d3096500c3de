"""Prometheus metrics and the ``/metrics`` endpoint.

- **Request latency**: a histogram per method, URL pattern (the route, never the raw path:
  bounded label values) and status class, observed by :class:`MetricsMiddleware`. Each
  gunicorn worker is a process; with ``PROMETHEUS_MULTIPROC_DIR`` set (production: a
  writable tmpfs directory, emptied when gunicorn starts, see ``gunicorn.conf.py``) the
  client library's multiprocess mode sums all workers of the host, so a scrape of any
  worker sees them all. Prometheus scrapes each web host (replica) itself.
- **Task outcomes**: success, retry and failure per task name, counted in Redis (``HINCRBY``
  on the broker's Redis): workers run on other hosts than the web processes, so a
  per-host file could not be read by the web's ``/metrics``. The counters are monotonic;
  if Redis loses them, Prometheus sees a counter reset, which its ``rate()`` handles.
- **Queue depth**: ``LLEN`` of each Celery queue in the broker, read at scrape time.

``/metrics`` is not public: it answers only a ``Authorization: Bearer <METRICS_TOKEN>``
or a client address in ``METRICS_ALLOWED_IPS`` (addresses or networks), and 404 when
neither is configured. It is answered here, before host validation and sessions, so
Prometheus may scrape by IP address over plain HTTP from the internal network.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

logger = logging.getLogger(__name__)

PATH = "/metrics"
TASK_OUTCOMES_KEY = "strategyhub:metrics:task-outcomes"
OUTCOMES = ("success", "retry", "failure")
# kombu's Redis transport keeps a queue's priorities 3, 6 and 9 in lists of their own.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)

REQUEST_LATENCY = Histogram(
    "strategyhub_http_request_duration_seconds",
    "Time from the first middleware to the response, per URL pattern.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


# --- Redis ----------------------------------------------------------------------------------


@cache
def _redis() -> Any:
    """The Redis that holds task outcomes and the queues (the broker's), or None."""
    url = getattr(settings, "METRICS_REDIS_URL", "") or getattr(settings, "CELERY_BROKER_URL", "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=1.0)


def record_task_outcome(task_name: str, outcome: str) -> None:
    """Count one outcome of ``task_name``; never raises (a metric is not worth a task)."""
    client = _redis()
    if client is None:
        return
    try:
        client.hincrby(TASK_OUTCOMES_KEY, f"{task_name}|{outcome}", 1)
    except Exception:  # Redis down: the count is lost, the task is not
        logger.debug("Could not count %s %s", task_name, outcome, exc_info=True)


def task_outcomes() -> dict[tuple[str, str], int]:
    client = _redis()
    if client is None:
        return {}
    raw = client.hgetall(TASK_OUTCOMES_KEY)
    counts = {}
    for field, value in raw.items():
        name, _, outcome = field.decode().rpartition("|")
        counts[(name, outcome)] = int(value)
    return counts


def queue_names() -> list[str]:
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    names.update(getattr(settings, "CELERY_METRICS_QUEUES", []))
    return sorted(names)


def queue_depths() -> dict[str, int]:
    client = _redis()
    if client is None:
        return {}
    depths = {}
    for name in queue_names():
        keys = [name, *(f"{name}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS)]
        with client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.llen(key)
            depths[name] = sum(pipe.execute())
    return depths


class BrokerCollector:
    """Task outcomes and queue depths, read from Redis at scrape time."""

    def collect(self) -> Iterable[Any]:
        outcomes = CounterMetricFamily(
            "strategyhub_celery_tasks",
            "Celery task outcomes per task name (all workers).",
            labels=["task", "outcome"],
        )
        depth = GaugeMetricFamily(
            "strategyhub_celery_queue_length",
            "Messages waiting in a Celery queue.",
            labels=["queue"],
        )
        up = GaugeMetricFamily(
            "strategyhub_broker_up", "1 when the broker's Redis answered the scrape."
        )
        try:
            for (name, outcome), count in sorted(task_outcomes().items()):
                outcomes.add_metric([name, outcome], count)
            for name, length in queue_depths().items():
                depth.add_metric([name], length)
            up.add_metric([], 1 if _redis() is not None else 0)
        except Exception:
            logger.warning("Metrics: the broker's Redis did not answer", exc_info=True)
            up.add_metric([], 0)
        return [outcomes, depth, up]


def render() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(BrokerCollector())
    return generate_latest(registry)


# --- Access ---------------------------------------------------------------------------------


@cache
def _allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(entry, strict=False)
        for entry in getattr(settings, "METRICS_ALLOWED_IPS", [])
    )


def configured() -> bool:
    return bool(getattr(settings, "METRICS_TOKEN", "") or _allowed_networks())


def allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if given.startswith("Bearer ") and hmac.compare_digest(
            given[len("Bearer ") :].strip().encode(), token.encode()
        ):
            return True
    networks = _allowed_networks()
    if networks:
        try:
            client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(client in network for network in networks)
    return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not configured():
        return HttpResponse("Not found", status=404, content_type="text/plain")
    if not allowed(request):
        response = HttpResponse("Forbidden", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


# --- Middleware -----------------------------------------------------------------------------


class MetricsMiddleware:
    """First in the chain: answers ``/metrics`` and times every other request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return metrics_view(request)
        start = time.perf_counter()
        status = "5xx"  # an exception that escapes Django's handlers is a 500 for the client
        try:
            response = self.get_response(request)
            status = f"{response.status_code // 100}xx"
        finally:
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None else "unresolved"
            REQUEST_LATENCY.labels(request.method, route, status).observe(
                time.perf_counter() - start
            )
        return response
