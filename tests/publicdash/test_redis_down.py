"""Public pages, downloads and publishing keep working while Redis is down, as staff pages
do: against a real Redis server of the test's own, stopped in the middle of the test."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.urls import reverse
from django_scopes import scope

from publicdash.publishing import publish

pytestmark = pytest.mark.usefixtures("clock")

PORT = 8161  # this suite's spare port (a private Redis for this test only)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def private_redis(settings, tmp_path, require_services):
    """A redis-server of our own on ``PORT``, the cache pointed at it; ``stop()`` kills it."""
    binary = shutil.which("redis-server")
    if binary is None:
        if require_services:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if _answers(PORT):
            break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the private redis-server did not start")
    location = f"redis://127.0.0.1:{PORT}/0"
    options = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 1.0}
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "redis-down-test",
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
        },
        "invalidation": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "redis-down-test",
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": False},
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production

    class Server:
        @staticmethod
        def stop(how: str = "killed") -> None:
            if how == "hung":  # accepts connections, never answers: every call times out
                process.send_signal(signal.SIGSTOP)
            else:
                process.kill()
                process.wait(5)
            assert not _answers(PORT)

    yield Server
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.wait(5)


PUBLIC_PAGES = ("public:home", "public:data_csv", "public:data_json", "public:archive")


# "hung" (SIGSTOP: every call waits for its 1 s socket timeout) serves too, but a page then
# takes seconds and the test ~30 s: it is in the suite once, for the public home page only.
@pytest.mark.parametrize("how", ["killed"])
def test_public_pages_downloads_and_publishing_serve_while_redis_is_down(
    client, org_a, plan_a, objective_a, measure_a, private_redis, how
):
    with scope(organization=org_a.org):
        publish(org_a.org, by=org_a.admin)
    for name in PUBLIC_PAGES:  # cached while Redis answers
        assert client.get(reverse(name, args=["alpha"])).status_code == 200
    first = client.get(reverse("public:home", args=["alpha"]))

    private_redis.stop(how)

    for name in PUBLIC_PAGES:
        response = client.get(reverse(name, args=["alpha"]))
        assert response.status_code == 200, name
    home = client.get(reverse("public:home", args=["alpha"]))
    assert home.content == first.content
    assert home["Content-Security-Policy"] == first["Content-Security-Policy"]
    # Staff publishing too: publish a new edition, then unpublish, with Redis down.
    client.force_login(org_a.admin)
    assert client.get(reverse("publishing:page", args=["alpha"])).status_code == 200
    assert client.post(reverse("publishing:publish", args=["alpha"])).status_code == 302
    assert client.post(reverse("publishing:unpublish", args=["alpha"])).status_code == 302
    client.logout()
    # Unpublished: gone at once, even though Redis could not be told.
    assert client.get(reverse("public:home", args=["alpha"])).status_code == 404


def test_a_hung_redis_slows_the_public_home_page_but_never_breaks_it(
    client, org_a, plan_a, objective_a, measure_a, private_redis
):
    with scope(organization=org_a.org):
        publish(org_a.org, by=org_a.admin)
    url = reverse("public:home", args=["alpha"])
    first = client.get(url)
    private_redis.stop("hung")
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
