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
