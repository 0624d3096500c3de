"""The shipped process configuration: gunicorn.conf.py serves the application, and the
garbage-collector tuning of strategyhub.config.gctuning does what it says."""

from __future__ import annotations

import gc
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from strategyhub.config import celery as celery_config
from strategyhub.config import gctuning

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restore_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_freezing_moves_startup_objects_out_of_collections(restore_gc, monkeypatch):
    monkeypatch.delenv("STRATEGYHUB_GC_TUNING", raising=False)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    gctuning.freeze_startup_objects()
    assert gc.get_freeze_count() > 10_000  # Django, the URLconf, settings, templates
    gctuning.tune_thresholds()
    assert gc.get_threshold() == (gctuning.GEN0, gctuning.GEN1, gctuning.GEN2)


def test_tuning_can_be_turned_off(restore_gc, monkeypatch):
    monkeypatch.setenv("STRATEGYHUB_GC_TUNING", "0")
    gc.unfreeze()
    before = gc.get_threshold()
    gctuning.freeze_startup_objects()
    gctuning.tune_thresholds()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_celery_workers_apply_the_tuning(restore_gc, monkeypatch):
    monkeypatch.delenv("STRATEGYHUB_GC_TUNING", raising=False)
    gc.unfreeze()
    celery_config._freeze_startup_objects()
    celery_config._tune_collector()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == gctuning.GEN0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_through_the_shipped_configuration():
    port = _free_port()
    environment = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_LOGLEVEL": "warning",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "strategyhub.config.wsgi:application",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        body = json.loads(response.read())
        assert response.getheader("Server", "").startswith("gunicorn")
        assert body["checks"]["database"]["ok"] is True, body
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_every_project_template_compiles_at_start_up():
    from strategyhub.config import warmup

    assert warmup.compile_templates() > 100


def test_the_url_lookups_are_built_at_start_up_for_every_language():
    """After ``build_url_lookups`` no ``reverse``, in any language, builds them again."""
    from django.conf import settings
    from django.urls import clear_url_caches, get_resolver, reverse
    from django.urls.resolvers import URLResolver
    from django.utils import translation

    from strategyhub.config import warmup

    clear_url_caches()
    assert warmup.build_url_lookups() >= 5  # okrs, scorecards, ownership, …
    built = []
    original = URLResolver._populate

    def spy(resolver):
        built.append(resolver)
        return original(resolver)

    URLResolver._populate = spy
    try:
        for code in [settings.LANGUAGE_CODE, *(code for code, _ in settings.LANGUAGES)]:
            with translation.override(code):
                assert reverse("ownership:reassign", args=["alpha", "measure", 1])
                assert reverse("okrs:key_result", args=["alpha", 1])
    finally:
        URLResolver._populate = original
    assert built == []
    assert get_resolver() is get_resolver()


def test_no_project_template_fails_to_compile_at_start_up(caplog):
    """Warnings are for our own templates only (an installed app's template that needs an
    app we do not install is logged at debug level; with allauth's socialaccount installed
    for single sign-on, its snippets now compile too)."""
    from strategyhub.config import warmup

    with caplog.at_level("DEBUG", logger="strategyhub.config.warmup"):
        compiled = warmup.compile_templates()
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []
    assert compiled > 200  # ours, the admin's and allauth's
