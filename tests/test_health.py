import pytest
from django.urls import reverse

from strategyhub.views import health


def test_healthz_reports_every_service(client, db, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["backend"] == (
        "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    )
    if settings.REDIS_URL:
        assert body["checks"]["broker"]["backend"] == "redis"
        assert body["checks"]["cache"]["backend"] == "RedisCache"


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "OSError: connection refused",
    }


def test_healthz_answers_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_is_read_only(client, db, method):
    assert getattr(client, method)(reverse("healthz")).status_code == 405


def test_redis_down_pages_still_serve_and_health_says_so(
    client, org_a, settings, django_capture_on_commit_callbacks
):
    """With the cache and broker unreachable, staff pages work, writes that enqueue work
    still succeed (the work is logged and caught up later), and /healthz answers 503."""
    from strategyhub.config.celery import app as celery_app
    from strategyhub.models import Membership

    dead = "redis://127.0.0.1:1/0"
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    # Changing CACHES resets Django's cache handlers (setting_changed signal).
    tolerant = {"SOCKET_CONNECT_TIMEOUT": 0.25, "IGNORE_EXCEPTIONS": True}
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": tolerant,
        },
        "invalidation": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25},
        },
    }
    settings.CELERY_BROKER_URL = dead
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = dead
    celery_app.conf.broker_connection_retry = False
    celery_app.conf.broker_connection_max_retries = 0
    try:
        client.force_login(org_a.admin)
        assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 200
        # Cached pages render afresh; the session keeps working from the database.
        for name in ("scorecards:plan", "okrs:my_checkins", "ownership:page"):
            assert client.get(reverse(name, args=["alpha"])).status_code == 200
        from django_scopes import scope

        with scope(organization=org_a.org):
            viewer = Membership.objects.get(user=org_a.viewer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("agency:member_active", args=["alpha", viewer.pk]), {"active": "0"}
            )
        assert response.status_code == 302
        # The page versions that write could not move are kept for a retry, not lost.
        from strategyhub.caching import invalidation

        assert invalidation.pending()
        health = client.get(reverse("healthz"))
        assert health.status_code == 503
        body = health.json()
        assert body["checks"]["cache"]["ok"] is False and body["checks"]["broker"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
