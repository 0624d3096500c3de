"""Request ids: taken from a sane X-Request-ID, else generated; echoed; in every log line of
the request (JSON and text), and carried into the Celery tasks the request enqueues."""

import io
import json
import logging
import time

import pytest
from celery import shared_task
from django.conf import settings

from strategyhub.config.celery import app as celery_app
from strategyhub.observability.context import (
    ContextFilter,
    request_id_var,
    sane_request_id,
    task_id_var,
    task_name_var,
)
from strategyhub.observability.logconfig import build_logging, parse_admins
from tests.conftest import needs_service


@pytest.mark.parametrize(
    "value, kept",
    [
        ("4bf92f3577b34da6a3ce929d0e0e4736", True),
        ("Root=1-5759e988-bd862e3fe1be46a994272793", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("", False),
        ("bad id", False),
        ("x\nforged log line", False),
        ('"quoted"', False),
    ],
)
def test_only_sane_incoming_ids_are_kept(value, kept):
    assert (sane_request_id(value) == value) is kept


def test_incoming_id_is_echoed_and_a_bad_one_replaced(client, db):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-1234.abcd")
    assert response["X-Request-ID"] == "lb-1234.abcd"
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="evil\r\nid")
    generated = response["X-Request-ID"]
    assert generated != "evil\r\nid" and len(generated) == 32 and generated.isalnum()
    assert client.get("/accounts/login/")["X-Request-ID"] != generated


def test_every_response_has_one_even_a_404(client, db):
    assert client.get("/no/such/page/")["X-Request-ID"]


def _capture(log_format: str) -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    config = build_logging(log_format=log_format, level="INFO", mail_admins=False)
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    formatter_config = dict(config["formatters"]["default"])
    if "()" in formatter_config:
        from pythonjsonlogger.json import JsonFormatter

        formatter_config.pop("()")
        handler.setFormatter(JsonFormatter(**formatter_config))
    else:
        handler.setFormatter(logging.Formatter(formatter_config["format"]))
    return handler, stream


def test_log_lines_of_a_request_carry_its_id_as_json(client, db):
    handler, stream = _capture("json")
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no/such/page/", HTTP_X_REQUEST_ID="req-json-1")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "django.request logs the 404"
    assert {line["request_id"] for line in lines} == {"req-json-1"}
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "django.request"
    assert "time" in lines[0] and lines[0]["message"].startswith("Not Found")


def test_text_format_names_the_request_id(client, db):
    handler, stream = _capture("text")
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no/such/page/", HTTP_X_REQUEST_ID="req-text-1")
    finally:
        logger.removeHandler(handler)
    assert "[req-text-1] Not Found" in stream.getvalue()


def test_format_switch_and_admins_parsing():
    from django.core.exceptions import ImproperlyConfigured

    assert build_logging(log_format="json", level="INFO", mail_admins=False)["formatters"][
        "default"
    ]["()"].endswith("JsonFormatter")
    assert (
        "format"
        in build_logging(log_format="text", level="INFO", mail_admins=False)["formatters"][
            "default"
        ]
    )
    with pytest.raises(ImproperlyConfigured):
        build_logging(log_format="xml", level="INFO", mail_admins=False)
    with_mail = build_logging(log_format="json", level="INFO", mail_admins=True)
    assert with_mail["loggers"]["django.request"]["handlers"] == ["mail_admins"]
    assert (
        "mail_admins"
        not in build_logging(log_format="json", level="INFO", mail_admins=False)["handlers"]
    )
    assert parse_admins("Ops Team <ops@agency.gov>, dba@agency.gov") == [
        ("Ops Team", "ops@agency.gov"),
        ("dba@agency.gov", "dba@agency.gov"),
    ]
    assert parse_admins("") == []
    with pytest.raises(ImproperlyConfigured):
        parse_admins("not-an-address")


# --- Into Celery tasks ----------------------------------------------------------------------

SEEN: list[tuple] = []


@shared_task(name="tests.observability.remember_context")
def remember_context(marker: str) -> str:
    SEEN.append((marker, request_id_var.get(), task_id_var.get(), task_name_var.get()))
    logging.getLogger("tests.observability").info("inside the task %s", marker)
    return marker


@pytest.fixture
def real_worker():
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    saved = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            celery_app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=20
        ):
            yield
    finally:
        celery_app.conf.update(**saved)


@pytest.mark.django_db(transaction=True)
def test_request_id_reaches_the_task_on_a_real_worker(real_worker):
    handler, stream = _capture("json")
    logger = logging.getLogger("tests.observability")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    token = request_id_var.set("req-into-task-1")  # as the middleware does for a request
    try:
        result = remember_context.delay("real-worker")
    finally:
        request_id_var.reset(token)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(s[0] == "real-worker" for s in SEEN):
            time.sleep(0.1)
    finally:
        logger.removeHandler(handler)
    seen = [s for s in SEEN if s[0] == "real-worker"]
    assert seen == [("real-worker", "req-into-task-1", result.id, remember_context.name)]
    line = next(json.loads(raw) for raw in stream.getvalue().splitlines() if "real-worker" in raw)
    assert line["request_id"] == "req-into-task-1"
    assert line["task_id"] == result.id
    assert line["task_name"] == "tests.observability.remember_context"


def test_eager_task_keeps_the_request_id():
    token = request_id_var.set("req-eager-1")
    try:
        remember_context.delay("eager")
    finally:
        request_id_var.reset(token)
    _marker, request_id, task_id, task_name = next(s for s in SEEN if s[0] == "eager")
    assert request_id == "req-eager-1" and task_id and task_name == remember_context.name


def test_admins_from_the_environment_get_request_errors_by_mail():
    """The real settings in a fresh process: ADMINS set → Django's request errors are mailed;
    unset → no mail handler at all."""
    import os
    import subprocess
    import sys

    script = (
        "import logging, django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.conf import settings; settings.DEBUG = False;"
        "from django.core import mail;"
        "logging.getLogger('django.request').error('Internal Server Error: /x/');"
        "print(len(mail.outbox), mail.outbox[0].to if mail.outbox else None)"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings_test"}
    on = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "ADMINS": "Ops <ops@agency.test>"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert on.stdout.strip().splitlines()[-1] == "1 ['ops@agency.test']"
    base.pop("ADMINS", None)
    off = subprocess.run(
        [sys.executable, "-c", script], env=base, capture_output=True, text=True, check=True
    )
    assert off.stdout.strip().splitlines()[-1] == "0 None"
