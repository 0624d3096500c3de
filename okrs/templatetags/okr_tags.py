from django import template

register = template.Library()


@register.filter
def krfmt(value, key_result):
    return key_result.format(value)
