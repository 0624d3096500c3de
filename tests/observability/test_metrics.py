"""/metrics: not public (404 unconfigured, 403 without the token or an allowed address),
request latency per URL pattern, task outcomes per task name from Redis, queue depth."""

import pytest
import redis
from celery import shared_task
from django.conf import settings
from django.test import override_settings

from strategyhub.observability import metrics
from tests.conftest import needs_service


@pytest.fixture(autouse=True)
def _fresh_access_cache():
    metrics._allowed_networks.cache_clear()
    yield
    metrics._allowed_networks.cache_clear()


def test_not_configured_is_a_404(client, db):
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN="s3cret-token")
def test_token_is_required(client, db):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8", "192.0.2.7"])
def test_allowed_addresses(client, db):
    assert client.get("/metrics", REMOTE_ADDR="10.4.5.6").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@override_settings(METRICS_TOKEN="t", ALLOWED_HOSTS=["app.agency.gov"], SECURE_SSL_REDIRECT=True)
def test_answers_any_host_over_plain_http(client, db):
    """Prometheus scrapes by IP address over HTTP inside the network."""
    response = client.get("/metrics", HTTP_HOST="10.0.0.5:8000", HTTP_AUTHORIZATION="Bearer t")
    assert response.status_code == 200


@override_settings(METRICS_TOKEN="t")
def test_request_latency_per_route(client, db):
    client.get("/accounts/login/")
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert "strategyhub_http_request_duration_seconds_bucket{" in body
    assert 'route="accounts/login/"' in body and 'status="2xx"' in body
    assert "/metrics" not in [
        line for line in body.splitlines() if line.startswith("strategyhub_http")
    ]


@shared_task(name="tests.observability.metrics_ok")
def metrics_ok() -> int:
    return 1


@shared_task(name="tests.observability.metrics_broken")
def metrics_broken() -> int:
    raise ValueError("broken on purpose")


@override_settings(METRICS_TOKEN="t")
def test_task_outcomes_and_queue_depth_from_redis(client, db):
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    client_redis = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    before = metrics.task_outcomes()
    metrics_ok.delay()
    metrics_ok.delay()
    # Eager tasks that propagate their error skip Celery's failure signal; a worker sends it
    # (tests/observability/test_task_failures.py runs one), as does apply(throw=False).
    metrics_broken.apply(throw=False)
    after = metrics.task_outcomes()
    assert (
        after[("tests.observability.metrics_ok", "success")]
        - before.get(("tests.observability.metrics_ok", "success"), 0)
        == 2
    )
    assert (
        after[("tests.observability.metrics_broken", "failure")]
        - before.get(("tests.observability.metrics_broken", "failure"), 0)
        == 1
    )
    # Queue depth: whatever sits in the broker's lists now, priorities included.
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    keys = [queue, *(f"{queue}\x06\x16{p}" for p in (3, 6, 9))]
    expected = sum(client_redis.llen(k) for k in keys)
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert f'strategyhub_celery_queue_length{{queue="{queue}"}} {float(expected)}' in body
    assert (
        'strategyhub_celery_tasks_total{outcome="success",task="tests.observability.metrics_ok"}'
        in body
    )
    assert "strategyhub_broker_up 1.0" in body


def test_queue_depth_counts_every_priority_list(client, db):
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    import uuid

    queue = f"tests-queue-{uuid.uuid4().hex[:8]}"
    client_redis = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client_redis.rpush(queue, "a", "b")
    client_redis.rpush(f"{queue}\x06\x169", "c")
    try:
        with override_settings(METRICS_TOKEN="t", CELERY_METRICS_QUEUES=[queue]):
            body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    finally:
        client_redis.delete(queue, f"{queue}\x06\x169")
    assert f'strategyhub_celery_queue_length{{queue="{queue}"}} 3.0' in body
