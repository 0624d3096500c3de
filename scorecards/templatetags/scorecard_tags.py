import functools

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from scorecards import calc, charts

register = template.Library()


@functools.cache
def _sprite() -> str:
    """The icon sprite's URL, resolved once (hashed-manifest lookups are not free)."""
    return static("uswds/img/sprite.svg")


_ICONS = {
    calc.Status.ON_TRACK: "check_circle",
    calc.Status.AT_RISK: "warning",
    calc.Status.OFF_TRACK: "cancel",
    calc.Status.NO_DATA: "help_outline",
    calc.Status.STALE: "schedule",
}


@register.simple_tag
def status_badge(status):
    """Icon and word, so the status never rests on colour alone."""
    status = calc.Status(status)
    return format_html(
        '<span class="sh-status sh-status--{}"><svg class="usa-icon" aria-hidden="true" '
        'focusable="false" role="img"><use href="{}#{}"></use></svg> {}</span>',
        status.value,
        _sprite(),
        _ICONS[status],
        calc.STATUS_LABELS[status],
    )


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
