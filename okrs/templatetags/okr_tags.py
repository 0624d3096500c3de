from django import template

from strategyhub.ui import badges

register = template.Library()


@register.simple_tag
def okr_status(status):
    """Icon and word: a status never rests on colour alone."""
    return badges.status_badge(status)


@register.filter
def krfmt(value, key_result):
    return key_result.format(value)
