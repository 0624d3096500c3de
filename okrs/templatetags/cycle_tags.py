"""``{% cycle_links cycles cycle %}``: the cycle overview's switcher items
(``okrs.cycle_rows.cycle_links``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from okrs.cycle_rows import cycle_links as render_cycle_links

register = template.Library()


@register.simple_tag(takes_context=True)
def cycle_links(context: template.Context, cycles, current) -> SafeString:
    return render_cycle_links(cycles, current, context["organization"].slug)
