"""The Celery app (``celery -A strategyhub`` finds it through ``strategyhub/__init__.py``).

Its configuration is Django's settings under the ``CELERY_`` prefix; tasks are found in each
installed app's ``tasks`` module. The base class for tenant tasks lives in
``strategyhub.background``.
"""

import os

from celery import Celery, signals

from strategyhub.config import gctuning
from strategyhub.observability import tasks as _observability  # noqa: F401  (signal handlers)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategyhub.config.settings")

app = Celery("strategyhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _freeze_startup_objects(**kwargs) -> None:
    """In the worker's parent, before the pool forks (``strategyhub.config.gctuning``)."""
    gctuning.freeze_startup_objects()


@signals.worker_process_init.connect
def _tune_collector(**kwargs) -> None:
    gctuning.tune_thresholds()
