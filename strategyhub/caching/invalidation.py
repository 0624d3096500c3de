"""Cache writes that invalidate cached content: a version bump (the page cache) or the
deletion of a key (the public fast path's "live" mark). Unlike every other cache operation,
these must not be lost silently when Redis fails, or a stale page would stay current.

Reads and stores go through the ``default`` cache, which django-redis makes tolerant of
Redis failures (``IGNORE_EXCEPTIONS``: a failed read is a miss, a failed store is skipped,
so pages serve from the database while Redis is down). Invalidations go through the
``invalidation`` alias — the same Redis, the same keys, but failures raise — so that a
failure is seen:

- it is logged as an error;
- the operation is kept as *pending* in this process and tried again before this process
  reads or invalidates anything in the cache, and while any is pending this process serves
  no cached page (it renders afresh);
- it is recorded in PostgreSQL (``PendingInvalidation``), the one store that must not lose
  anything, and the beat task ``strategyhub.tasks.replay_cache_invalidations`` applies the
  recorded ones every minute — so the invalidation survives this process ending, and the
  broker (often the same Redis) is not needed for it. Other processes may serve a stale
  page until then (at most about a minute after Redis answers again).

When Redis itself lost its data (a restart: it keeps nothing on disk), nothing is stale:
versions start again from the clock (``pages.versions``), above any number a cached entry
was stamped with, and a missing "live" mark sends public requests to the views.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Literal

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

Operation = Literal["bump", "delete"]
ALIAS = "invalidation"

_pending: dict[str, Operation] = {}
_lock = threading.Lock()


def _strict_cache() -> BaseCache:
    from django.conf import settings

    return caches[ALIAS if ALIAS in settings.CACHES else "default"]


def run(operation: Operation, key: str) -> None:
    """Apply one invalidation; raises when the cache cannot be reached."""
    cache = _strict_cache()
    if operation == "bump":
        try:
            cache.incr(key)
        except ValueError:  # no counter yet: start one from the clock
            cache.set(key, time.time_ns(), None)
    else:
        cache.delete(key)


def apply(operation: Operation, key: str) -> bool:
    """Apply ``operation`` to ``key`` now; on failure log it, keep it pending and schedule
    its retry. True when it was applied."""
    retry_pending()
    try:
        run(operation, key)
    except Exception:
        logger.error(
            "Cache invalidation failed (%s %s); kept pending and retried",
            operation,
            key,
            exc_info=True,
        )
        with _lock:
            already = _pending.get(key) == operation
            _pending[key] = operation
        if not already:
            _record(operation, key)
        return False
    return True


def bump(key: str) -> bool:
    return apply("bump", key)


def delete(key: str) -> bool:
    return apply("delete", key)


def retry_pending() -> bool:
    """Try every pending invalidation of this process again; True when none is left."""
    if not _pending:
        return True
    with _lock:
        waiting = list(_pending.items())
    for key, operation in waiting:
        try:
            run(operation, key)
        except Exception:
            return False
        with _lock:
            if _pending.get(key) == operation:
                del _pending[key]
        _forget(key)
        logger.warning("Pending cache invalidation applied (%s %s)", operation, key)
    return not _pending


def pending() -> dict[str, Operation]:
    """What is still pending in this process (for health reports and tests)."""
    with _lock:
        return dict(_pending)


def _record(operation: Operation, key: str) -> None:
    """Keep the failed invalidation in PostgreSQL for the replay task."""
    from strategyhub.models import PendingInvalidation

    try:
        PendingInvalidation.objects.update_or_create(key=key, defaults={"operation": operation})
    except Exception:
        logger.error("Could not record the pending %s %s", operation, key, exc_info=True)


def _forget(key: str) -> None:
    from strategyhub.models import PendingInvalidation

    try:
        PendingInvalidation.objects.filter(key=key).delete()
    except Exception:
        logger.warning("Could not clear the pending invalidation %s", key, exc_info=True)


def replay_recorded() -> int:
    """Apply every invalidation recorded in PostgreSQL; how many were applied (those Redis
    still refuses stay recorded for the next run)."""
    from strategyhub.models import PendingInvalidation

    applied = 0
    for row in list(PendingInvalidation.objects.order_by("failed_at")[:1000]):
        try:
            run("bump" if row.operation == "bump" else "delete", row.key)
        except Exception:
            logger.warning("Recorded invalidation %s %s still refused", row.operation, row.key)
            break  # Redis is still away: the rest wait for the next run
        PendingInvalidation.objects.filter(pk=row.pk, failed_at=row.failed_at).delete()
        applied += 1
    return applied
