"""StrategyHub: the project (``config``) and its tenancy core.

The Celery app is loaded with Django (so ``shared_task`` binds to it) and found by
``celery -A strategyhub``.
"""

from strategyhub.config.celery import app as celery_app

__all__ = ["celery_app"]
