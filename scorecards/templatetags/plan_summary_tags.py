"""The plan overview's summary (``scorecards.plan_rows``): ``{% objective_summary_rows
block.objectives %}`` writes a perspective's table rows, ``{% perspective_urls
block.perspective as urls %}`` gives its page's and its edit form's addresses (``urls.page``,
``urls.edit``) — each address reversed once per page, not once per perspective or row."""

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
def perspective_urls(context: template.Context, perspective) -> dict[str, str]:
    slug = context["organization"].slug
    return {
        "page": _url(context, "scorecards:perspective", slug)(perspective.pk),
        "edit": _url(context, "scorecards:perspective_edit", slug, perspective.plan_id)(
            perspective.pk
        ),
    }
