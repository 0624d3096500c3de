"""Invalidations are never lost silently: a version bump or a "down" mark that Redis did
not take is logged, kept pending in the process (which serves nothing cached meanwhile),
retried before the next cache use, and recorded in PostgreSQL for the beat task that
replays it even when the process is gone."""

import logging

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse

from strategyhub.caching import invalidation, pages
from strategyhub.models import PendingInvalidation
from strategyhub.tasks import replay_cache_invalidations
from tests.conftest import needs_service

pytestmark = pytest.mark.django_db

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


def test_a_failed_bump_is_recorded_and_replayed_by_the_beat_task(settings, live_caches):
    key = pages.organization_key(987655)
    (before,) = pages.versions(key)
    _dead_invalidation(settings, live_caches)
    invalidation.bump(key)
    assert PendingInvalidation.objects.filter(key=key, operation="bump").exists()
    assert replay_cache_invalidations.apply().get() == 0  # Redis still away: kept
    assert PendingInvalidation.objects.filter(key=key).exists()
    invalidation._pending.clear()  # the process that failed is gone
    settings.CACHES = live_caches
    assert replay_cache_invalidations.apply().get() == 1
    assert not PendingInvalidation.objects.filter(key=key).exists()
    assert caches["default"].get(key) == before + 1


def test_a_version_the_cache_cannot_answer_serves_and_stores_nothing(
    client, org_a, measure_a, settings, live_caches
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org_a.editor)
    client.get(PLAN)
    dead = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD}
    settings.CACHES = {
        "default": {**dead, "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "IGNORE_EXCEPTIONS": True}},
        "invalidation": {**dead, "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25}},
    }
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PLAN).status_code == 200  # built afresh from the database
    assert len(queries.captured_queries) > 2
