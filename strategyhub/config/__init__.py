"""Project configuration: settings (``settings``, ``settings_test``, typed environment
readers in ``env``), the URLconf, the WSGI entry point and the Celery app."""
