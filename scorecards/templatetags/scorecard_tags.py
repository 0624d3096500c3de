from django import template

from strategyhub import fiscal
from strategyhub.ui import charts
from strategyhub.ui.formatting import format_plain

register = template.Library()


@register.simple_tag
def sparkline(state):
    values = [value for _, value in state.recent]
    text = state.trend_text()
    label = f"Trend of {state.measure.name}: {text[:1].lower()}{text[1:]}"
    if values:
        label += f", from {state.measure.format(values[0])} to {state.measure.format(values[-1])}"
    return charts.sparkline(values, label)


@register.simple_tag(takes_context=True)
def period_label(context, measure, period):
    """The period a value of ``measure`` is for, named by its frequency (a month, a fiscal
    quarter or a fiscal year: ``strategyhub.fiscal.period_label``), in the agency in scope."""
    if period is None:
        return ""
    organization = context.get("organization") or measure.organization
    month = organization.fiscal_year_start_month
    style = organization.fiscal_year_label_style
    return fiscal.period_label(period, fiscal.Frequency(measure.update_frequency), month, style)


@register.filter
def fmt(value, measure):
    return measure.format(value)


@register.filter
def plain(value):
    """A Decimal as typed: 8.980000 → 8.98, 470.000000 → 470."""
    return format_plain(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def fy(year, organization):
    """A fiscal year (named by the year it starts in) as the product labels it elsewhere."""
    month = organization.fiscal_year_start_month
    return fiscal.fiscal_year(int(year), month, organization.fiscal_year_label_style).label
