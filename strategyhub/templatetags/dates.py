"""Date filters built in to every template (``TEMPLATES["OPTIONS"]["builtins"]``): the
display kinds of ``strategyhub.ui.dates`` in the active language and the agency's date
style, e.g. ``{{ check_in.created_at|moment }}``, ``{{ due|full_date }}``."""

from __future__ import annotations

from functools import partial

from django import template

from strategyhub.ui import dates

register = template.Library()

for _kind in dates.KINDS:
    register.filter(_kind, partial(dates.show, kind=_kind), is_safe=False)
