"""The ``LOGGING`` dictionary: one line per record on stdout, as JSON (the default in
production: log collectors parse it) or as plain text (the default with DEBUG, for people
reading a terminal); ``LOG_FORMAT`` chooses. Every record carries the request id, and in a
worker the task's id and name (``strategyhub.observability.context``).

With ``ADMINS`` set, errors are also mailed to them: Django's unhandled request errors (500)
and task failures after their last retry (``strategyhub.observability.tasks`` mails those
itself, so a mail that cannot be sent is logged rather than lost).
"""

from __future__ import annotations

from email.utils import getaddresses
from typing import Any

from django.core.exceptions import ImproperlyConfigured

FORMATS = ("json", "text")

JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def parse_admins(value: str) -> list[tuple[str, str]]:
    """``ADMINS`` as Django wants it, from "Ops <ops@agency.gov>, dba@agency.gov"."""
    admins = []
    for name, address in getaddresses([value]):
        if not address:
            continue
        if "@" not in address:
            raise ImproperlyConfigured(f"ADMINS: {address!r} is not an email address.")
        admins.append((name or address, address))
    return admins


def build_logging(*, log_format: str, level: str, mail_admins: bool) -> dict[str, Any]:
    if log_format not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(FORMATS)}.")
    formatter: dict[str, Any]
    if log_format == "json":
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "strategyhub.observability.context.ContextFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["context"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (console when DEBUG, mail_admins) are replaced: records
            # go to the root's one console handler, and to the admins below when asked.
            "django": {"handlers": [], "level": level, "propagate": True},
        },
    }
    if mail_admins:
        config["handlers"]["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "context"],
        }
        config["loggers"]["django.request"] = {
            "handlers": ["mail_admins"],
            "level": level,
            "propagate": True,
        }
    return config
