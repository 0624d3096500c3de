"""The plan overview's tags (``scorecards.plan_rows``): ``{% objective_summary_rows
block.objectives %}`` writes a perspective's summary rows; ``{% id_url name arg… id %}`` is
``{% url name arg… id %}`` for the links repeated per perspective or theme, the address
reversed once per page and name and each id put in it (a ``{% url %}`` costs a reversal
each, tens of microseconds, issue 17)."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.utils.safestring import SafeString

from scorecards import plan_rows

register = template.Library()


def _url(context: template.Context, name: str, *args: object) -> Callable[[int], str]:
    """``plan_rows.url_with_id(name, *args)``, made once per rendering of the page."""
    cache = context.render_context
    key = ("plan_rows.url", name, *args)
    if key not in cache:
        cache[key] = plan_rows.url_with_id(name, *args)
    return cache[key]


@register.simple_tag(takes_context=True)
def objective_summary_rows(context: template.Context, objectives) -> SafeString:
    slug = context["organization"].slug
    return plan_rows.objective_rows(objectives, _url(context, "scorecards:objective", slug))


@register.simple_tag(takes_context=True)
def id_url(context: template.Context, name: str, *args: object) -> str:
    """The address ``reverse(name, args=args)``, the last of ``args`` an integer id."""
    *leading, pk = args
    return _url(context, name, *leading)(int(pk))
