"""Celery's side of observability, connected to Celery's signals when the Celery app is
created (``strategyhub.config.celery``), in web processes and workers alike:

- a task enqueued while a request (or another task) runs carries that request id in a
  message header, and its log lines name the request id, the task id and the task name;
- every outcome (success, retry, failure) is counted per task name for ``/metrics``;
- a task that fails after its last retry is logged at ERROR with its name and a summary of
  its arguments, reported to Sentry when that is on (the log record is the event), and
  mailed to ``ADMINS`` when set. A mail to the admins that cannot be sent is itself logged
  at CRITICAL: a failing alert email must never fail silently.
"""

from __future__ import annotations

import logging
import traceback as tb_module
from typing import Any

from celery import signals

from strategyhub.observability import metrics
from strategyhub.observability.context import request_id_var, task_id_var, task_name_var

logger = logging.getLogger("strategyhub.tasks")

REQUEST_ID_HEADER = "strategyhub_request_id"
SUMMARY_LENGTH = 300


def summarize(args: Any, kwargs: Any) -> str:
    """The task's arguments, short (tasks take ids, never personal data)."""
    parts = [repr(a) for a in (args or ())]
    parts += [f"{k}={v!r}" for k, v in sorted((kwargs or {}).items())]
    text = ", ".join(parts)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _header(task: Any, name: str) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, name, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(name)
    return value if isinstance(value, str) else None


@signals.setup_logging.connect
def _keep_django_logging(**kwargs: Any) -> None:
    """The worker and beat log through Django's LOGGING (JSON or text, LOG_LEVEL), which
    ``django.setup()`` has applied: a receiver here tells Celery not to configure its own."""


@signals.before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect
def _enter_task(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    task_id_var.set(task_id)
    task_name_var.set(getattr(task, "name", None))
    incoming = _header(task, REQUEST_ID_HEADER)
    if incoming:
        request_id_var.set(incoming)
    elif not getattr(getattr(task, "request", None), "is_eager", False):
        request_id_var.set(None)  # a worker thread must not keep the previous task's id


@signals.task_postrun.connect
def _leave_task(task: Any = None, **kwargs: Any) -> None:
    task_id_var.set(None)
    task_name_var.set(None)
    if not getattr(getattr(task, "request", None), "is_eager", False):
        request_id_var.set(None)


@signals.task_success.connect
def _count_success(sender: Any = None, **kwargs: Any) -> None:
    metrics.record_task_outcome(getattr(sender, "name", "unknown"), "success")


@signals.task_retry.connect
def _count_retry(sender: Any = None, request: Any = None, reason: Any = None, **kw: Any) -> None:
    name = getattr(sender, "name", None) or getattr(request, "task", None) or "unknown"
    metrics.record_task_outcome(name, "retry")
    logger.warning("Task %s will be retried: %s", name, reason)


@signals.task_failure.connect
def _report_failure(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    traceback: Any = None,
    **extra: Any,
) -> None:
    """After the last retry (Celery sends ``task_failure`` only then)."""
    name = getattr(sender, "name", "unknown")
    metrics.record_task_outcome(name, "failure")
    retries = getattr(getattr(sender, "request", None), "retries", 0) or 0
    summary = summarize(args, kwargs)
    exc_info = (type(exception), exception, traceback) if exception is not None else None
    logger.error(
        "Task %s failed after %d retr%s: %s(%s): %s",
        name,
        retries,
        "y" if retries == 1 else "ies",
        name,
        summary,
        exception,
        exc_info=exc_info,
        extra={"task_args": summary, "task_retries": retries},
    )
    mail_admins_about(name, task_id, retries, summary, exception, traceback)


def mail_admins_about(
    name: str,
    task_id: str | None,
    retries: int,
    summary: str,
    exception: BaseException | None,
    traceback: Any,
) -> bool:
    """Mail ``ADMINS`` about a failed task; True when sent. A failure to send is logged at
    CRITICAL (to stdout and Sentry), never swallowed."""
    from django.conf import settings
    from django.core.mail import mail_admins

    if not settings.ADMINS:
        return False
    details = "".join(
        tb_module.format_exception(type(exception), exception, traceback)
        if exception is not None
        else []
    )
    body = (
        f"Task: {name}\nTask id: {task_id}\nRequest id: {request_id_var.get() or '-'}\n"
        f"Retries: {retries}\nArguments: {summary}\n\n{details}"
    )
    try:
        mail_admins(f"Task {name} failed after {retries} retries", body, fail_silently=False)
    except Exception:
        logger.critical(
            "Could not mail ADMINS that task %s (%s) failed", name, task_id, exc_info=True
        )
        return False
    return True
