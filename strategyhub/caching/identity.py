"""The signed-in person and their membership, served from the shared cache.

Every staff request needs the user (for the session) and the membership in the agency of
the URL (for the role). Both are read from the database once and then kept in the cache,
stamped with the versions that every change to them moves, and served only while the stamp
is current:

- the user record under the person's version, which moves on every save or delete of the
  user (deactivation, password change, name) and of any of their memberships;
- the membership (with its agency and unit) under the person's version and the directory
  version, which moves on every save or delete of an agency or a unit (an agency switched
  off, its time zone or fiscal year changed, a unit removed from under a member).

The version is read *before* the database, so a change that commits while a request is
reading cannot leave its stale copy current (the same protocol as the page cache,
``strategyhub.caching.pages``, whose model-signal bridge moves these versions). Writes that
send no signal (``QuerySet.update`` of users or memberships) must call
``strategyhub.signals.person_changed``; the code has none today. The cached user record
carries the password hash (Django checks the session against it), as the sessions in the
same Redis already carry what identifies a user: that Redis must be private to the
application. Like the page cache this is on only with a cache that every web process
shares, and when the cache is unreachable everything is read from the database as if it did
not exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from strategyhub.caching import pages
from strategyhub.models import Membership, User

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60

T = TypeVar("T")


def _cached(keys: list[str], entry_key: str, load: Callable[[], T]) -> T:
    """``load()``'s value, from the cache while the versions ``keys`` are unchanged since it
    was stored (the versions are read before ``load()`` runs)."""
    if not pages.enabled():
        return load()
    try:
        found = cache.get_many([*keys, entry_key])
        if any(key not in found for key in keys):
            found.update(zip(keys, pages.versions(*keys), strict=True))
        stamp = tuple(found[key] for key in keys)
        entry = found.get(entry_key)
    except Exception:
        logger.warning("Cache unavailable; reading %s from the database", entry_key)
        return load()
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = load()
    try:
        cache.set(entry_key, (stamp, value), TIMEOUT)
    except Exception:
        logger.warning("Cache unavailable; %s not stored", entry_key)
    return value


class CachedModelBackend(ModelBackend):
    """Django's model backend whose per-request ``get_user`` is served from the cache.

    Django still checks the session's password hash against the user it returns and this
    backend still refuses inactive users: a cached copy is only ever the current one."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None  # a session naming no valid id signs nobody in

        def load() -> User | None:
            return User._default_manager.filter(pk=pk).first()

        user = _cached([pages.person_key(pk)], f"identity-user:{pk}", load)
        return user if user is not None and self.user_can_authenticate(user) else None


def membership_for(user: User, slug: str) -> Membership | None:
    """The user's active membership in the active agency ``slug``, with the agency and unit
    loaded (one query, or none while the cached copy is current)."""

    def load() -> Membership | None:
        # The tenant scope is not open yet: lifted for this one query, which is itself
        # filtered by this user and this slug.
        with scopes_disabled():
            return (
                Membership.objects.active()
                .filter(user=user, organization__slug=slug, organization__is_active=True)
                .select_related("unit", "organization")
                .first()
            )

    keys = [pages.person_key(user.pk), pages.DIRECTORY]
    return _cached(keys, f"identity-membership:{user.pk}:{slug}", load)
