"""``{% measure_row state %}``: one row of the measures table (``scorecards.measure_row``)."""

from django import template

from scorecards.measure_row import measure_row as render_row
from scorecards.measure_row import measure_url_prefix

register = template.Library()


@register.simple_tag(takes_context=True)
def measure_row(context, state):
    organization = context["organization"]
    # The measure pages' address, reversed once per rendering of the page.
    cache = context.render_context
    key = ("measure_url_prefix", organization.pk)
    if key not in cache:
        cache[key] = measure_url_prefix(organization)
    return render_row(state, organization, cache[key])
