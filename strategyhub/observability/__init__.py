"""Observability: request ids carried into logs and Celery tasks (``context``,
``requestid``), the log configuration (``logconfig``), error reports to Sentry when
``SENTRY_DSN`` is set (``errors``), task failures after their last retry (``tasks``), and
the Prometheus ``/metrics`` endpoint (``metrics``). docs/observability.md is the
operator's guide."""
