"""Invalidations are never lost silently: a version bump or a "down" mark that Redis did
not take is logged, kept pending in the process (which serves nothing cached meanwhile),
retried before the next cache use, and handed to a Celery task that retries it."""

import logging

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse

from strategyhub.caching import invalidation, pages
from strategyhub.tasks import retry_cache_invalidation
from tests.conftest import needs_service

DEAD = "redis://127.0.0.1:1/0"
PLAN = reverse("scorecards:plan", args=["alpha"])


@pytest.fixture
def live_caches():
    needs_service(bool(django_settings.REDIS_URL), "Redis (REDIS_URL)")
    return {alias: dict(config) for alias, config in django_settings.CACHES.items()}


def _dead_invalidation(settings, live):
    settings.CACHES = {
        **live,
        "invalidation": {
            **live["invalidation"],
            "LOCATION": DEAD,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25},
        },
    }


@pytest.fixture(autouse=True)
def _nothing_pending():
    yield
    invalidation._pending.clear()


def test_a_failed_bump_is_logged_kept_and_applied_once_redis_answers(settings, live_caches, caplog):
    key = pages.organization_key(987654)
    (before,) = pages.versions(key)
    _dead_invalidation(settings, live_caches)
    with caplog.at_level(logging.ERROR, logger="strategyhub.caching.invalidation"):
        assert invalidation.bump(key) is False
    assert invalidation.pending() == {key: "bump"}
    assert "Cache invalidation failed" in caplog.text
    assert invalidation.retry_pending() is False  # still unreachable: still pending
    settings.CACHES = live_caches
    assert invalidation.retry_pending() is True
    assert invalidation.pending() == {}
    assert caches["default"].get(key) == before + 1


def test_a_process_with_a_pending_bump_serves_no_cached_page(
    client, org_a, measure_a, settings, live_caches, django_assert_num_queries
):
    client.force_login(org_a.editor)
    client.get(PLAN)
    client.get(PLAN)  # now cached
    _dead_invalidation(settings, live_caches)
    invalidation.bump(pages.organization_key(org_a.org.pk))
    settings.CACHES = {**live_caches, "invalidation": live_caches["invalidation"]}
    # Redis answers again: the pending bump is applied before the page is looked up, so
    # the page is built afresh (more than the two identity queries of a cached page).
    response = client.get(PLAN)
    assert response.status_code == 200
    assert invalidation.pending() == {}


def test_the_pending_process_renders_afresh_while_redis_is_unreachable(
    client, org_a, measure_a, settings, live_caches
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org_a.editor)
    client.get(PLAN)
    _dead_invalidation(settings, live_caches)
    invalidation.bump(pages.organization_key(org_a.org.pk))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PLAN).status_code == 200
    assert len([q for q in queries.captured_queries if "django_session" not in q["sql"]]) > 2


def test_a_failed_down_mark_is_retried_too(settings, live_caches):
    caches["default"].set("public:live:somewhere", 41, 60)
    _dead_invalidation(settings, live_caches)
    assert invalidation.delete("public:live:somewhere") is False
    settings.CACHES = live_caches
    assert invalidation.retry_pending() is True
    assert caches["default"].get("public:live:somewhere") is None


def test_the_retry_task_applies_the_invalidation(live_caches):
    key = pages.organization_key(987655)
    (before,) = pages.versions(key)
    assert retry_cache_invalidation.apply(kwargs={"operation": "bump", "key": key}).get()
    assert caches["default"].get(key) == before + 1
