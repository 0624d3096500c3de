"""The Celery app and the base task class for tenant work.

Tasks take ids, never model instances, and are enqueued after the transaction commits
(``delay_on_commit``). A task declared with ``base=TenantTask`` receives
``organization_id`` as a keyword argument and runs inside that agency's scope.
"""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategyhub.settings")

app = Celery("strategyhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class TenantTask(DjangoTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        from django_scopes import scope

        from strategyhub.models import Organization

        organization_id = kwargs.get("organization_id")
        if organization_id is None:
            raise TypeError(f"{self.name} needs the keyword argument organization_id.")
        organization = Organization.objects.get(pk=organization_id)
        with scope(organization=organization):
            return super().__call__(*args, **kwargs)


def enqueue_on_commit(task, **kwargs) -> None:
    """``task.delay_on_commit(**kwargs)`` that never breaks the request when the broker is
    down: the data is already committed, the failure is logged, and the scheduled jobs
    (daily scan, digests) pick the work up later."""
    import logging

    from django.db import transaction

    def send():
        try:
            task.delay(**kwargs)
        except Exception:  # broker unreachable (kombu/redis errors vary by transport)
            logging.getLogger(__name__).exception("Could not enqueue %s; will catch up", task.name)

    transaction.on_commit(send)
