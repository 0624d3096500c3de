"""``{% measure_row state %}``: one row of the measures table (``scorecards.measure_row``);
``{% value_rows rows %}``: the rows of a measure page's values table
(``scorecards.value_rows``)."""

from django import template
from django.urls import reverse

from scorecards.measure_row import measure_groups as render_groups
from scorecards.measure_row import measure_row as render_row
from scorecards.measure_row import measure_url_prefix
from scorecards.value_rows import value_rows as render_value_rows

register = template.Library()


def _measure_url_prefix(context, organization):
    """The measure pages' address, reversed once per rendering of the page."""
    cache = context.render_context
    key = ("measure_url_prefix", organization.pk)
    if key not in cache:
        cache[key] = measure_url_prefix(organization)
    return cache[key]


@register.simple_tag(takes_context=True)
def measure_row(context, state):
    organization = context["organization"]
    return render_row(state, organization, _measure_url_prefix(context, organization))


@register.simple_tag(takes_context=True)
def measure_groups(context, groups):
    """Every objective's group of rows (``scorecards.measure_row.measure_groups``)."""
    organization = context["organization"]
    return render_groups(groups, organization, _measure_url_prefix(context, organization))


@register.simple_tag(takes_context=True)
def value_rows(context, rows):
    """The values table's rows of the page's ``measure``; with their correction forms when
    the page offers value entry (``can_enter``) and the measure is not calculated."""
    measure = context["measure"]
    organization = context["organization"]
    correctable = context.get("can_enter") and not measure.is_calculated
    return render_value_rows(
        rows,
        measure,
        organization,
        correction_url=reverse("scorecards:measure_value", args=[organization.slug, measure.pk])
        if correctable
        else None,
        csrf_token=str(context.get("csrf_token", "")),
    )
