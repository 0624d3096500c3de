"""Background work of the tenancy core's apps: the base task class and enqueueing.

Tasks take ids, never model instances, and are enqueued after the transaction commits
(``enqueue_on_commit``). A task declared with ``base=TenantTask`` receives
``organization_id`` as a keyword argument and runs inside that agency's scope, with the
agency's time zone, date style and language active.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


class TenantTask(DjangoTask):
    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

        from strategyhub.models import Organization

        organization_id = kwargs.get("organization_id")
        if organization_id is None:
            raise TypeError(f"{self.name} needs the keyword argument organization_id.")
        from strategyhub.language import choose
        from strategyhub.ui import dates

        organization = Organization.objects.get(pk=organization_id)
        # The agency's time zone, date style and language, as on its pages: times in emails
        # are its local times (an email to one person may speak their own language,
        # strategyhub.emails.send_templated).
        with (
            scope(organization=organization),
            timezone.override(organization.tz),
            dates.override(organization.date_style),
            translation.override(choose(organization.language)),
        ):
            return super().__call__(*args, **kwargs)


def enqueue_on_commit(task: Task | str, **kwargs: Any) -> None:
    """``task.delay_on_commit(**kwargs)`` that never breaks the request when the broker is
    down: the data is already committed, the failure is logged, and the scheduled jobs
    (daily scan, digests) pick the work up later. ``task`` may be a registered task's name,
    for a service whose tasks module imports the service (no import circle); it is looked
    up in the Celery app when the transaction commits (eager mode included)."""

    def send() -> None:
        name = task if isinstance(task, str) else task.name
        try:
            found = _registered(task) if isinstance(task, str) else task
            found.delay(**kwargs)
        except Exception:  # broker unreachable (kombu/redis errors vary by transport)
            logger.exception("Could not enqueue %s; will catch up", name)

    transaction.on_commit(send)


def _registered(name: str) -> Task:
    """The task registered as ``name``. A process that has not imported every app's
    ``tasks`` module yet (a web process: a worker does so at start) imports them first, as
    the worker does, so a task named by a service is found wherever it is queued from."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]
