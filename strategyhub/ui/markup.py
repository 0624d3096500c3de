"""Escaping for markup written in Python (rows, maps, charts, pickers built without the
template engine).

``escape_text`` gives exactly what Django's ``conditional_escape`` gives — a value that
knows its own HTML (``SafeString``, ``format_html`` output) is kept, anything else is made
text and escaped as ``django.utils.html.escape`` does (``html.escape`` with quotes) — without
Django's ``keep_lazy`` wrapper and the ``SafeString`` made for every part, which cost more
than the escaping itself where a page escapes thousands of labels (issue 17)."""

from __future__ import annotations

from html import escape as _escape
from typing import Any

from django.utils.functional import Promise


def escape_text(value: Any) -> str:
    """``value`` as HTML text: its own HTML when it has one, else escaped."""
    if isinstance(value, Promise):  # lazy text: as Django, what it turns into decides
        value = str(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape(str(value))


def escape_always(value: Any) -> str:
    """Exactly Django's ``escape``: ``value`` made text and escaped, even text already
    marked safe (for SVG attributes and titles, which never take markup)."""
    return _escape(str(value))
