from django import template

from okrs import calc
from strategyhub.ui import badges

register = template.Library()


@register.simple_tag
def okr_status(status):
    """Icon and word: a status never rests on colour alone."""
    status = calc.Status(status)
    return badges.status_badge(status.value, calc.STATUS_LABELS[status])


@register.filter
def krfmt(value, key_result):
    return key_result.format(value)
