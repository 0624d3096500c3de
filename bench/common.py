"""What the benchmark's parts share: the environment gunicorn and ``manage.py`` run in,
``manage.py`` itself, one HTTP request to the loopback server, and the check-in form."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-large"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BENCH_MARK = "Benchmark check-in"  # the "what moved" text of the check-ins a run posts

# Shared by run.py's facts script and mixed.py's: a signed-in session for a user, as the
# browser would hold it after signing in.
SESSION_FOR = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
"""


def env() -> dict:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL for the benchmark.")
    static_root = Path(tempfile.gettempdir()) / "strategyhub-bench-static"
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "k" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STRATEGYHUB_BENCH": "1",
        "STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings",
        "LOG_LEVEL": "WARNING",
        # One release for the whole run, as a deploy sets it. Without it each worker takes a
        # fingerprint of the files when it first renders, and in a checkout being edited the
        # workers disagree and none serves the others' cached pages.
        "STRATEGYHUB_RELEASE": os.environ.get("STRATEGYHUB_RELEASE") or f"bench-{time.time_ns()}",
    }


def manage(environment, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def request(method, path, session=None, body=None, headers=None, timeout=30):
    """One request on a new connection (gunicorn's sync workers close every connection).
    Returns (status, seconds, X-Query-Count, body, Set-Cookie, X-Page-Build)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    # As a browser (or curl --compressed, or Python's requests) asks: public pages and
    # downloads are sent compressed when the client accepts it (publicdash/fastpath.py).
    all_headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip, deflate", **(headers or {})}
    if session:
        all_headers["Cookie"] = f"sessionid={session}" + (
            f"; csrftoken={all_headers.pop('X-Csrf-Cookie')}"
            if "X-Csrf-Cookie" in all_headers
            else ""
        )
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        return (
            response.status,
            elapsed,
            response.getheader("X-Query-Count"),
            content,
            response.getheader("Set-Cookie"),
            response.getheader("X-Page-Build"),
        )
    finally:
        connection.close()


def csrf_for(session) -> tuple[str, str]:
    """The form token and the cookie a signed-in member's My check-ins page hands out."""
    page = request("GET", f"/o/{SLUG}/okrs/check-ins/", session)
    if page[0] != 200:
        raise SystemExit(f"My check-ins answered {page[0]}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page[3]).group(1).decode()
    cookie = re.search(r"csrftoken=([^;]+)", page[4] or "")
    return token, cookie.group(1) if cookie else token


def checkin_post(session, token, csrf_cookie, key_result, today, value, path=None):
    """An owner's check-in through htmx, as the browser sends it (``path``: the same request
    to another address)."""
    prefix = f"kr{key_result}-"
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            prefix + "as_of": today,
            prefix + "value": str(value),
            prefix + "confidence": "7",
            prefix + "moved": BENCH_MARK,
        }
    )
    return request(
        "POST",
        path or f"/o/{SLUG}/okrs/key-results/{key_result}/check-in/",
        session,
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
            "X-Csrf-Cookie": csrf_cookie,
            "Referer": f"http://127.0.0.1:{PORT}/",
        },
    )
