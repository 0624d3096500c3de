"""The WSGI entry point (``strategyhub.config.wsgi:application``; the old path
``strategyhub.wsgi:application`` re-exports it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategyhub.config.settings")
application = get_wsgi_application()
