"""Cached staff pages, invalidated by version counters.

Every write to an agency's data (a save, delete or many-to-many change of any row with an
``organization``, the agency itself, a member's user record, a unit grant) bumps the
agency's version: at once and, once per transaction, after it commits, so a request that
read the old data while the write was in flight cannot keep its stale page alive. Within
one transaction a later write bumps at once again only when this process stored a page
since the last bump (only this process's connection sees the uncommitted rows, so only a
page it rendered meanwhile can hold some of them but not the later ones; other processes
read committed data, which the bump after the commit covers): a check-in writes four
rows, and three of its four round trips to Redis were for nothing (issue 17). A nested
``atomic`` block (a savepoint) starts its own run: its first write bumps at once too. The
writes reach this module only through ``strategyhub.signals.data_changed``
(``strategyhub.caching.receivers`` turns model signals into it and calls :func:`changed`
and :func:`person_changed`); bulk writes that send no model signals (``QuerySet.update``,
``bulk_create``) announce themselves with ``strategyhub.signals.changed``. A person's
version moves with what their header shows (their name and memberships, their unread
notifications).

Two levels, each entry stamped with the versions it was rendered at and served only while
they are current:

- the whole page for one person (header and notification bell included), keyed by release,
  agency, the agency's local date (statuses move with the calendar), person, role, language
  and full path; a request with a flash message to show skips it;
- below it the page's body for everyone with the same rights (role; contributors and
  per-person pages by person), so a colleague's first view skips the heavy part.

CSRF tokens are rendered as a placeholder and filled in per request. The release (code and
templates) is part of every key, so a deploy never serves the previous one's pages.

Caching needs a cache shared by every web process (Redis): with a per-process cache one
worker would not see another's version bump. It is on when ``REDIS_URL`` is set, or with
``PAGE_CACHE=1``. When the cache is unreachable pages are rendered afresh.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from strategyhub.caching import invalidation
from strategyhub.http import OrganizationRequest
from strategyhub.roles import Role
from strategyhub.ui import dates

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "csrf0placeholder0token0for0cached0pages0000000000000000000000000"
TIMEOUT = 60 * 60  # a page nobody asked for in an hour is dropped; versions never expire
_ORGANIZATION = "agency-version:{}"
_PERSON = "person-version:{}"


@functools.cache
def release() -> str:
    """This deployment's code and templates: a deploy must not serve pages rendered by the
    previous one. ``STRATEGYHUB_RELEASE`` when set (e.g. a git sha), else a fingerprint of
    the project's Python files and templates (the same in every worker of one deploy)."""
    configured = getattr(settings, "STRATEGYHUB_RELEASE", "")
    if configured:
        return configured
    from django.apps import apps

    root = Path(settings.BASE_DIR).resolve()
    folders = {root / "templates"} | {
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
    }
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html"}:
                stat = path.stat()
                name = path.relative_to(root)
                digest.update(f"{name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", False)


def person_key(user_id: int) -> str:
    return _PERSON.format(user_id)


def organization_key(organization_id: int) -> str:
    return _ORGANIZATION.format(organization_id)


def versions(*keys: str) -> list[int]:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Start from the clock, not 0: after the cache was flushed a fresh counter must
            # not meet pages cached under an old number.
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def _bump(key: str) -> None:
    # Never silently lost: logged, kept pending and retried (``caching.invalidation``).
    invalidation.bump(key)


# Pages and bodies this process stored (``_render_cached``): a write inside a transaction
# bumps at once again only when one was stored since the transaction's last bump of its key.
_stored = 0


def _bump_now_and_on_commit(key: str) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(key)
        return  # autocommit: the write is already visible
    # Once per key and transaction after it commits. The transaction is recognised by its
    # list of commit callbacks (the same object until it commits or rolls back, or until a
    # rolled-back savepoint drops some: then this starts afresh; the tuple keeps it alive,
    # so ``is`` cannot match a later transaction's list).
    pending = connection.run_on_commit
    registered: tuple[object, dict[str, tuple[tuple[str, ...], int]]] | None = getattr(
        connection, "_pagecache_registered", None
    )
    if registered is None or registered[0] is not pending:
        registered = (pending, {})
        connection._pagecache_registered = registered
    # The block the write happens in: its savepoints (an ``atomic`` inside another, as a
    # service called from another's transaction or a test's, starts its own run of bumps).
    where = tuple(sid for sid in connection.savepoint_ids if sid is not None)
    before = registered[1].get(key)
    if before == (where, _stored):
        return  # bumped in this block, nothing stored since: the bump still holds
    _bump(key)
    registered[1][key] = (where, _stored)
    if before is None:
        transaction.on_commit(lambda: _bump(key))


def _count_stored() -> None:
    global _stored
    _stored += 1


def changed(organization_ids: int | Iterable[int]) -> None:
    """The data of these agencies changed: cached pages must not be served again."""
    ids = {organization_ids} if isinstance(organization_ids, int) else set(organization_ids)
    for organization_id in ids - {None}:
        _bump_now_and_on_commit(organization_key(organization_id))


def person_changed(user_id: int) -> None:
    """What this person's header shows changed (name, agencies, unread notifications)."""
    _bump_now_and_on_commit(_PERSON.format(user_id))


def viewer_signature(request: OrganizationRequest, *, per_user: bool = False) -> str:
    """What the viewer may do, as far as a page's content can differ by it."""
    membership = request.membership
    role = membership.role
    if per_user or role == Role.CONTRIBUTOR:
        # A contributor's edit rights come from ownership and unit grants: per person.
        return f"u{membership.user_id}-{role}"
    return role


def _key(kind: str, *parts: object) -> str:
    return f"{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def render_cached(
    request: OrganizationRequest,
    template_name: str,
    build: Callable[[], dict | HttpResponse],
    *,
    per_user: bool = False,
) -> HttpResponse:
    """:func:`_render_cached`; in benchmark mode (``STRATEGYHUB_BENCH``) the answer says
    whether the page was built (``build()`` ran) or served from the cache (page or body):
    ``X-Page-Build: built`` or ``cached``."""
    if not getattr(settings, "STRATEGYHUB_BENCH", False):
        return _render_cached(request, template_name, build, per_user=per_user)
    built = False

    def counted() -> dict | HttpResponse:
        nonlocal built
        built = True
        return build()

    response = _render_cached(request, template_name, counted, per_user=per_user)
    response["X-Page-Build"] = "built" if built else "cached"
    return response


def _render_cached(
    request: OrganizationRequest,
    template_name: str,
    build: Callable[[], dict | HttpResponse],
    *,
    per_user: bool = False,
) -> HttpResponse:
    """Render ``template_name`` (which defines the partials ``title`` and ``body``) with
    the context ``build()`` returns, reusing cached output while the agency's data, the
    viewer's header and the date are unchanged. ``build`` may return a response of its own
    (never cached).

    Two levels: the whole page for this person (header included), and below it the body for
    everyone with the same rights, so a second person's first view skips the heavy part.
    """

    def uncached() -> HttpResponse:
        context = build()
        if isinstance(context, HttpResponse):
            return context
        return render(request, template_name, context)

    if not enabled() or request.method != "GET" or getattr(request, "htmx", False):
        return uncached()
    if not invalidation.retry_pending():
        return uncached()  # a version this process failed to move: serve nothing cached
    organization, user = request.organization, request.user
    today = organization.today().isoformat()
    path = request.get_full_path()
    organization_version_key, viewer_key = organization_key(organization.pk), person_key(user.pk)
    # A page with a flash message to show is rendered afresh (and shows it once).
    page_key = None
    if not len(get_messages(request)):
        page_key = _key(
            "page",
            release(),
            template_name,
            organization.pk,
            today,
            user.pk,
            request.membership.role,
            translation.get_language(),
            path,
        )
    try:
        # Versions and the page in one round trip; each entry carries the versions it was
        # rendered at and is served only while they are still current.
        found = cache.get_many(
            [organization_version_key, viewer_key, *([page_key] if page_key else [])]
        )
        if organization_version_key not in found or viewer_key not in found:
            found[organization_version_key], found[viewer_key] = versions(
                organization_version_key, viewer_key
            )
    except Exception:
        logger.warning("Page cache unavailable; rendering %s afresh", template_name)
        return uncached()
    organization_version, person_version = found[organization_version_key], found[viewer_key]
    stamp = (organization_version, person_version)
    if None in stamp:
        # A version could not be read or started (the tolerant cache answers a failure with
        # None): nothing may be served or stored under a stamp that cannot move.
        return uncached()
    entry = found.get(page_key) if page_key else None
    if entry is not None and entry[0] == stamp:
        return HttpResponse(entry[1].replace(CSRF_PLACEHOLDER, get_token(request)))
    body_key = _key(
        "body",
        release(),
        template_name,
        organization.pk,
        today,
        viewer_signature(request, per_user=per_user),
        # The page's language and the agency's date style (strategyhub/language.py).
        translation.get_language(),
        dates.current_style(),
        path,
    )
    entry = cache.get(body_key)
    # What this view stores, written in one round trip at the end (a page built afresh
    # stores its body and the page: two writes of tens of kilobytes each, ~0.15 ms apart).
    store: dict[str, tuple] = {}
    if entry is not None and entry[0] == organization_version:
        parts = entry[1]
    else:
        context = build()
        if isinstance(context, HttpResponse):
            return context
        context = {**context, "csrf_token": CSRF_PLACEHOLDER}
        parts = (
            render_to_string(f"{template_name}#title", context, request),
            render_to_string(f"{template_name}#body", context, request),
        )
        store[body_key] = (organization_version, parts)
    title, body = parts
    # Both strings are the output of our own templates, escaped when they were rendered.
    page = {"page_title": mark_safe(title), "body": mark_safe(body)}  # noqa: S308
    html = render_to_string("cached_page.html", {**page, "csrf_token": CSRF_PLACEHOLDER}, request)
    if page_key is not None:
        store[page_key] = (stamp, html)
    if store:
        cache.set_many(store, TIMEOUT)
        _count_stored()  # only whether something was stored since a bump matters
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
