"""``escape_text`` is Django's ``conditional_escape``, value for value."""

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from strategyhub.ui.markup import escape_text

VALUES = [
    "",
    "plain",
    "Parks & <Rec> \"quoted\" 'single'",
    mark_safe("<b>kept</b>"),
    format_html("<i>{}</i>", "a & b"),
    gettext_lazy("Strategy map"),
    lazy(lambda: mark_safe("<em>lazy safe</em>"), str)(),
    12,
    None,
]


@pytest.mark.parametrize("value", VALUES)
def test_escape_text_is_conditional_escape(value):
    assert escape_text(value) == str(conditional_escape(value))


@pytest.mark.parametrize("value", VALUES)
def test_escape_always_is_djangos_escape(value):
    from django.utils.html import escape

    from strategyhub.ui.markup import escape_always

    assert escape_always(value) == str(escape(value))
