"""The Celery app (``celery -A strategyhub`` finds it through ``strategyhub/__init__.py``).

Its configuration is Django's settings under the ``CELERY_`` prefix; tasks are found in each
installed app's ``tasks`` module. The base class for tenant tasks lives in
``strategyhub.background``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategyhub.config.settings")

app = Celery("strategyhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
