# Re-export shim: the settings live in strategyhub.config.settings. Deployments were
# promised DJANGO_SETTINGS_MODULE=strategyhub.settings, so this file stays.
"""Old path of the project's settings (``strategyhub.config.settings``)."""

from strategyhub.config.settings import *  # noqa: F403
