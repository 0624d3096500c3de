"""The health endpoints: liveness answers any probe, readiness follows the database, and
Redis being down is reported as degraded, never as a failure (strategyhub/health.py)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a spare port, stopped by the test (``kill()``)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed (Debian: apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("the private redis-server did not start")
            time.sleep(0.05)

    class Redis:
        url = f"redis://127.0.0.1:{port}/0"

        @staticmethod
        def kill() -> None:
            process.kill()
            process.wait(timeout=10)

    yield Redis
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def _use_redis(settings, url: str) -> None:
    """Point the cache and the broker at ``url`` (changing CACHES resets Django's caches)."""
    options = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5}
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "health-test",
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
        },
        "invalidation": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "health-test",
            "OPTIONS": options,
        },
    }
    settings.CELERY_BROKER_URL = url


@pytest.mark.parametrize("path", ["/healthz/live", "/healthz/ready", "/healthz"])
def test_probes_answer_any_host_over_plain_http_with_production_security(
    client, db, settings, path
):
    """A load balancer asks by IP address over HTTP: no 400 for the host, no HTTPS redirect,
    although the site itself refuses that host and redirects to HTTPS."""
    settings.ALLOWED_HOSTS = ["strategy.city.gov"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("account_login"), HTTP_HOST="10.0.3.7").status_code == 400
    assert client.get(reverse("account_login"), HTTP_HOST="strategy.city.gov").status_code == 301
    for host in ("10.0.3.7", "127.0.0.1:8000", "strategy.city.gov"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, response.content)
        assert response["Content-Type"] == "application/json"
        assert "no-cache" in response["Cache-Control"]
        assert response.json()["status"] == "ok"


def test_liveness_asks_no_service(client, db, django_assert_num_queries, settings):
    _use_redis(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_every_service(client, db, settings):
    response = client.get(reverse("healthz_ready"))
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
    # /healthz is the same answer, for load balancers configured before /healthz/ready.
    assert client.get(reverse("healthz")).json()["status"] == "ok"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("path", ["/healthz/live", "/healthz/ready", "/healthz"])
def test_probes_are_read_only(client, db, method, path):
    assert getattr(client, method)(path).status_code == 405


def test_a_stopped_redis_is_degraded_not_down(client, org_a, settings, private_redis, caplog):
    """A real Redis, then the same Redis stopped: readiness stays 200 with the cache and the
    broker reported down (no exception text in the body; it is logged), and pages serve."""
    _use_redis(settings, private_redis.url)
    client.force_login(org_a.admin)
    up = client.get("/healthz/ready")
    assert up.status_code == 200
    assert up.json()["status"] == "ok", up.json()

    private_redis.kill()
    started = time.monotonic()
    down = client.get("/healthz/ready")
    assert time.monotonic() - started < 5
    assert down.status_code == 200
    body = down.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["broker"] == {"ok": False}
    assert "Error" not in down.content.decode()
    assert "health check: broker is not answering" in caplog.text
    for name in ("agency:dashboard", "scorecards:plan", "okrs:my_checkins"):
        assert client.get(reverse(name, args=["alpha"])).status_code == 200
    assert client.get("/healthz/live").status_code == 200


def _ready_in_a_process(database_url: str) -> tuple[int, str]:
    """/healthz/ready answered by a separate Django process whose database is ``database_url``
    (its own settings: the test database of this process must stay usable)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    script = (
        "from django.test import Client\n"
        "import json\n"
        "r = Client().get('/healthz/ready', HTTP_HOST='10.0.3.7')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings",
            "SECRET_KEY": "health-test-" + "k" * 50,
            "DATABASE_URL": database_url,
            "DATABASE_CONNECT_TIMEOUT": "1",
            "LOG_LEVEL": "CRITICAL",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]


def test_a_database_that_refuses_connections_gives_503():
    status, body = _ready_in_a_process(f"postgres://health:secret@127.0.0.1:{_free_port()}/nodb")
    assert status == 503
    parsed = json.loads(body)
    assert parsed["status"] == "unavailable"
    assert parsed["checks"]["database"] == {"ok": False}
    for leak in ("secret", "health", "127.0.0.1", "refused", "Error"):
        assert leak not in body


def test_a_database_that_does_not_answer_gives_503_within_its_connect_timeout():
    """A host that accepts the connection and then says nothing (a hung server, a
    black-holed route): the probe gives up after DATABASE_CONNECT_TIMEOUT."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # never accepted: the client waits for PostgreSQL's first byte
        port = silent.getsockname()[1]
        started = time.monotonic()
        status, body = _ready_in_a_process(f"postgres://health@127.0.0.1:{port}/nodb")
        elapsed = time.monotonic() - started
    assert status == 503
    assert json.loads(body)["checks"]["database"] == {"ok": False}
    assert elapsed < 30


def test_redis_down_pages_still_serve_and_health_says_degraded(
    client, org_a, settings, django_capture_on_commit_callbacks
):
    """With the cache and broker unreachable, staff pages work, writes that enqueue work
    still succeed (the work is logged and caught up later), and /healthz answers 200 with
    the cache and the broker reported down."""
    from strategyhub.config.celery import app as celery_app
    from strategyhub.models import Membership

    dead = "redis://127.0.0.1:1/0"
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    _use_redis(settings, dead)
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
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded"
        assert body["checks"]["cache"]["ok"] is False and body["checks"]["broker"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
