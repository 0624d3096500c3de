"""Per-token rate limiting: a fixed one-minute window counted in the cache framework
(Redis in production, so every web process shares the count; the per-process memory
cache where no Redis is configured — no PostgreSQL write per request either way).

``API_RATE_LIMIT`` (requests per token per minute, default 600) is a setting. When the
cache is unreachable the request is let through: a limiter must not take the API down.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 60


def limit() -> int:
    return int(getattr(settings, "API_RATE_LIMIT", 600))


def retry_after(token_prefix: str, now: float | None = None) -> int | None:
    """Count one request of the token; the seconds to wait when it is over the limit,
    else None."""
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    key = f"api:rate:{token_prefix}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW + 5)
        count = cache.incr(key)
    except Exception:  # an unreachable cache lets requests through
        return None
    if count is None or count <= limit():
        return None
    return max(1, int(WINDOW - now % WINDOW))
