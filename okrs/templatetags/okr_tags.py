import functools

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from okrs import calc

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
}


@register.simple_tag
def okr_status(status):
    """Icon and word: a status never rests on colour alone."""
    status = calc.Status(status)
    return format_html(
        '<span class="sh-status sh-status--{}"><svg class="usa-icon" aria-hidden="true" '
        'focusable="false" role="img"><use href="{}#{}"></use></svg> {}</span>',
        status.value,
        _sprite(),
        _ICONS[status],
        calc.STATUS_LABELS[status],
    )


@register.filter
def krfmt(value, key_result):
    return key_result.format(value)
