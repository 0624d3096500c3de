"""The request id (and, in a worker, the task id and name) of the work being done now,
held in context variables so that every log line says which request or task wrote it.

The web middleware (``strategyhub.observability.requestid``) sets the request id for the
request; ``strategyhub.observability.tasks`` sends it with every task the request enqueues
(a message header) and sets it, with the task's id and name, while the task runs.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("strategyhub_request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("strategyhub_task_id", default=None)
task_name_var: ContextVar[str | None] = ContextVar("strategyhub_task_name", default=None)

# What an incoming X-Request-ID may look like to be kept: what load balancers and proxies
# generate (UUIDs, hex, AWS "Root=1-…" trace ids), nothing that could forge a log line.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")


def sane_request_id(value: str | None) -> str | None:
    """``value`` when it is a safe request id (1–128 characters of letters, digits and
    ``._:=+/-``), else None."""
    if value and _SANE.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task_name`` to every record (None when not in
    a request or task), for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        record.task_name = task_name_var.get()
        return True
