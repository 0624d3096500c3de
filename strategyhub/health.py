"""Health of the process and of the services it uses, for load balancers and orchestrators.

* **Liveness** (``/healthz/live``): the process answers. It touches nothing else, so a
  database or Redis outage never makes an orchestrator restart healthy web processes.
* **Readiness** (``/healthz/ready``, and ``/healthz`` for existing load balancers): the
  database answers. Pages serve without Redis (the cache tolerates its absence and sessions
  are written through to the database; work that cannot be enqueued is caught up by the
  scheduled jobs, see docs/operations.md), so the cache and the broker being down is reported
  as ``degraded`` with 200: one Redis blip must not empty the load balancer. Only a database
  that does not answer gives 503.

The body names each service's state and how long its probe took, never an exception's
text (it can hold host names, user names or paths); the exception is logged instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger("strategyhub.health")

OK = "ok"
DEGRADED = "degraded"
UNAVAILABLE = "unavailable"

# A service must answer within this many seconds for its probe to pass (the broker's own
# client; the cache's timeouts are its settings', the database's its connect_timeout).
BROKER_TIMEOUT = 1.0


def _probe(name: str, check: Callable[[], str]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception:  # a health probe reports every failure instead of raising
        logger.warning("health check: %s is not answering", name, exc_info=True)
        return {"ok": False}
    result: dict[str, Any] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["backend"] = detail
    return result


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key = "strategyhub:healthz"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        # The tolerant Redis cache turns a failure into a skipped store and a miss.
        raise RuntimeError("the cache did not return what was stored")
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def _broker() -> str:
    url = str(settings.CELERY_BROKER_URL)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return "in-process (no broker configured)"
    import redis

    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT, socket_connect_timeout=BROKER_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def readiness() -> tuple[str, dict[str, dict[str, Any]]]:
    """The overall state (ok, degraded or unavailable) and each service's probe."""
    checks = {
        "database": _probe("database", _database),
        "cache": _probe("cache", _cache),
        "broker": _probe("broker", _broker),
    }
    if not checks["database"]["ok"]:
        # A connection that failed half-way must not be reused by the next request.
        connection.close_if_unusable_or_obsolete()
        return UNAVAILABLE, checks
    if not all(check["ok"] for check in checks.values()):
        return DEGRADED, checks
    return OK, checks
