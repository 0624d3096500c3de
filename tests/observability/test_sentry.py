"""Sentry error reports, against a local receiver (a small HTTP server standing in for
Sentry's ingest: it accepts the envelope POST the real SDK sends to the DSN's host)."""

import contextlib
import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
from django.test import override_settings
from django.urls import path

from strategyhub.observability.errors import init_sentry

PORT = 8151


class _Receiver(BaseHTTPRequestHandler):
    envelopes: list[tuple[str, list[dict]]] = []

    def do_POST(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        items = []
        for line in body.split(b"\n"):
            line = line.strip()
            if line.startswith(b"{"):
                with contextlib.suppress(ValueError):
                    items.append(json.loads(line))
        self.envelopes.append((self.path, items))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", PORT), _Receiver)
    _Receiver.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Receiver.envelopes
    server.shutdown()
    server.server_close()


def boom(request):
    request.session.get("anything")  # the session is read (from the cache, then the database)
    raise RuntimeError("kaboom for sentry")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def sentry_on(receiver):
    init_sentry(f"http://publickey@127.0.0.1:{PORT}/42", release="v-test-1", environment="test")
    yield receiver
    sentry_sdk.flush(timeout=5)
    sentry_sdk.init(dsn=None)  # off again for the rest of the suite


@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_reaches_sentry_without_personal_data(sentry_on, db, client):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "secret-session-value"
    response = client.get(
        "/boom/?email=leak@example.org", HTTP_X_REQUEST_ID="req-sentry-1", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    events = [
        item
        for url, items in sentry_on
        for item in items
        if url == "/api/42/envelope/" and item.get("exception")
    ]
    assert events, f"no event received: {sentry_on!r}"
    event = events[0]
    assert event["exception"]["values"][-1]["value"] == "kaboom for sentry"
    assert event["release"] == "v-test-1" and event["environment"] == "test"
    assert event["tags"]["request_id"] == "req-sentry-1"
    raw = json.dumps(event)
    assert "10.1.2.3" not in raw  # no client address
    assert "secret-session-value" not in raw  # no cookies, no cache keys naming the session
    assert "query_string" not in event["request"]  # may carry search terms or tokens
    assert "cookies" not in event["request"]
    assert "Cookie" not in event["request"].get("headers", {})


def test_settings_turn_sentry_on_only_with_a_dsn():
    """The real settings module, in a fresh process: SENTRY_DSN set → a client with the
    release and send_default_pii off; unset → no client."""
    script = (
        "import django, sentry_sdk; django.setup();"
        "c = sentry_sdk.get_client();"
        "print(c.is_active(), c.options.get('release'), c.options.get('send_default_pii'))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings_test"}
    on = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "SENTRY_DSN": f"http://k@127.0.0.1:{PORT}/1", "STRATEGYHUB_RELEASE": "r-9"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert on.stdout.split()[-3:] == ["True", "r-9", "False"]
    base.pop("SENTRY_DSN", None)
    off = subprocess.run(
        [sys.executable, "-c", script], env=base, capture_output=True, text=True, check=True
    )
    assert off.stdout.split()[-3] == "False"
