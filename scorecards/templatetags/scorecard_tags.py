import datetime as dt

from django import template

from scorecards import calc, charts
from strategyhub.fiscal import fiscal_year_containing
from strategyhub.ui import badges

register = template.Library()


@register.simple_tag
def status_badge(status):
    """Icon and word, so the status never rests on colour alone."""
    status = calc.Status(status)
    return badges.status_badge(status.value, calc.STATUS_LABELS[status])


@register.simple_tag
def sparkline(state):
    values = [value for _, value in state.recent]
    label = f"Trend of {state.measure.name}: {state.trend.value}"
    if values:
        label += f", from {state.measure.format(values[0])} to {state.measure.format(values[-1])}"
    return charts.sparkline(values, label)


@register.filter
def fmt(value, measure):
    return measure.format(value)


@register.filter
def plain(value):
    """A Decimal as typed: 8.980000 → 8.98, 470.000000 → 470."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def fy(year, organization):
    """A fiscal year (named by the year it starts in) as the product labels it elsewhere."""
    month = organization.fiscal_year_start_month
    return fiscal_year_containing(dt.date(int(year), month, 1), month).label
