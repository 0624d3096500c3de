# Re-export shim: the WSGI app lives in strategyhub.config.wsgi. Deployments were promised
# strategyhub.wsgi:application, so this file stays.
"""Old path of the WSGI entry point (``strategyhub.config.wsgi``)."""

from strategyhub.config.wsgi import application

__all__ = ["application"]
