"""Dates and times as people read them: the one place a date is formatted for display.

Every page, email and report shows a date through one of the functions here (templates
through the filters of ``strategyhub.templatetags.dates``, built in to every template). The
words come from the active language (month and day names through Django's translations) and
the layout from the agency's *date style* (``Organization.date_style``), active for its
requests and background tasks as its time zone is (``strategyhub.middleware``,
``strategyhub.background``):

- ``long`` (the default): "December 1, 2026" ("1 de diciembre de 2026" in Spanish);
- ``numeric``: "12/1/2026" ("1/12/2026");
- ``iso``: "2026-12-01".

Kinds: ``full_date`` "December 1, 2026"; ``brief_date`` "Dec 1, 2026"; ``month_day``
"December 1"; ``brief_month_day`` "Dec 1"; ``month_year`` "Dec 2026"; ``moment``
"December 1, 2026, 1:30 PM CST" (an aware datetime, in the active time zone);
``brief_moment`` "Dec 1, 2026, 1:30 PM CST"; ``weekday_date`` "Tuesday, December 1".
Data contracts (CSV, JSON, the API, the publication document) keep ISO dates and never pass
through here.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Iterator

from django.db import models
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext_lazy as _


class DateStyle(models.TextChoices):
    LONG = "long", _("Month, day and year (December 1, 2026)")
    NUMERIC = "numeric", _("Numbers, month first (12/1/2026)")
    ISO = "iso", _("Year first (2026-12-01)")


KINDS = (
    "full_date",
    "brief_date",
    "month_day",
    "brief_month_day",
    "month_year",
    "moment",
    "brief_moment",
    "weekday_date",
)

# Django date-format strings per language, style and kind ("T": the time zone's name).
_FORMATS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        DateStyle.LONG: {
            "full_date": "F j, Y",
            "brief_date": "M j, Y",
            "month_day": "F j",
            "brief_month_day": "M j",
            "month_year": "M Y",
            "moment": "F j, Y, g:i A T",
            "brief_moment": "M j, Y, g:i A T",
            "weekday_date": "l, F j",
        },
        DateStyle.NUMERIC: {
            "full_date": "n/j/Y",
            "brief_date": "n/j/Y",
            "month_day": "n/j",
            "brief_month_day": "n/j",
            "month_year": "n/Y",
            "moment": "n/j/Y, g:i A T",
            "brief_moment": "n/j/Y, g:i A T",
            "weekday_date": "l, n/j",
        },
    },
    "es": {
        DateStyle.LONG: {
            "full_date": r"j \d\e F \d\e Y",
            "brief_date": "j M Y",
            "month_day": r"j \d\e F",
            "brief_month_day": "j M",
            "month_year": "b Y",  # "ene 2026": Spanish abbreviates months in lower case
            "moment": r"j \d\e F \d\e Y, H:i T",
            "brief_moment": "j M Y, H:i T",
            "weekday_date": r"l j \d\e F",
        },
        DateStyle.NUMERIC: {
            "full_date": "j/n/Y",
            "brief_date": "j/n/Y",
            "month_day": "j/n",
            "brief_month_day": "j/n",
            "month_year": "n/Y",
            "moment": "j/n/Y, H:i T",
            "brief_moment": "j/n/Y, H:i T",
            "weekday_date": "l j/n",
        },
    },
}
_ISO = {
    "full_date": "Y-m-d",
    "brief_date": "Y-m-d",
    "month_day": "m-d",
    "brief_month_day": "m-d",
    "month_year": "Y-m",
    "moment": "Y-m-d H:i T",
    "brief_moment": "Y-m-d H:i T",
    "weekday_date": "D Y-m-d",
}

_style: contextvars.ContextVar[str] = contextvars.ContextVar("date_style", default=DateStyle.LONG)


@contextlib.contextmanager
def override(style: str) -> Iterator[None]:
    """Dates inside the block are shown in ``style`` (an unknown style: the default)."""
    token = _style.set(style if style in DateStyle.values else DateStyle.LONG)
    try:
        yield
    finally:
        _style.reset(token)


def current_style() -> str:
    return _style.get()


def format_for(kind: str, *, style: str | None = None, language: str | None = None) -> str:
    """The Django format string of ``kind`` in ``style`` for ``language`` (default: the
    active style and language; a language without its own table uses English's)."""
    style = style or _style.get()
    if style == DateStyle.ISO:
        return _ISO[kind]
    code = (language or translation.get_language() or "en").split("-")[0]
    table = _FORMATS.get(code, _FORMATS["en"])
    return table.get(style, table[DateStyle.LONG])[kind]


def show(value: dt.date | dt.datetime | None, kind: str) -> str:
    """``value`` shown as ``kind``; an aware datetime in the active time zone (the agency's
    on its pages and in its tasks); None as an empty string."""
    if value is None or value == "":
        return ""
    return _shown(
        value, kind, _style.get(), translation.get_language(), timezone.get_current_timezone_name()
    )


@functools.lru_cache(maxsize=4096)
def _shown(
    value: dt.date | dt.datetime, kind: str, style: str, language: str | None, zone: str
) -> str:
    """``show``'s text: a function of the value, the kind, the date style, the language
    and the time zone only (all in the key; ``zone`` is the active one, which ``localtime``
    uses), so it is worked out once per key — a history table repeats the same moments and
    Django's ``dateformat`` parses its format string on every call (issue 17)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    elif isinstance(value, dt.datetime) and kind not in ("moment", "brief_moment"):
        value = value.date()
    return dateformat.format(value, format_for(kind, style=style, language=language))


def full_date(value: dt.date | dt.datetime | None) -> str:
    return show(value, "full_date")


def brief_date(value: dt.date | dt.datetime | None) -> str:
    return show(value, "brief_date")


def month_day(value: dt.date | dt.datetime | None) -> str:
    return show(value, "month_day")


def month_year(value: dt.date | dt.datetime | None) -> str:
    return show(value, "month_year")


def moment(value: dt.datetime | None) -> str:
    return show(value, "moment")


def brief_month_day(value: dt.date | dt.datetime | None) -> str:
    return show(value, "brief_month_day")


def brief_moment(value: dt.datetime | None) -> str:
    return show(value, "brief_moment")


def weekday_date(value: dt.date | dt.datetime | None) -> str:
    return show(value, "weekday_date")
