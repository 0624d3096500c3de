"""Sessions read from the cache and written through to the database, that keep working
from the database alone while the cache (Redis) is unreachable: a cache outage must not
sign everybody out or fail their pages (Django's ``cached_db`` raises when the cache does)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class _Tolerant:
    """The cache, with every failure turned into a miss."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def _try(self, name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        try:
            return getattr(self._cache, name)(*args, **kwargs)
        except Exception:
            logger.warning("Session cache unavailable (%s); using the database alone", name)
            return default

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._try("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._try("set", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._try("add", *args, default=False, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._try("delete", *args, default=False, **kwargs)

    def __getattr__(self, name: str) -> Any:  # anything else (the async variants) as it is
        return getattr(self._cache, name)

    def __contains__(self, key: str) -> bool:
        return bool(self._try("has_key", key, default=False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _Tolerant(self._cache)
