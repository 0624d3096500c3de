"""The widgets written in Python (strategyhub/ui/forms.py) give exactly the markup of
Django's own templates, for every kind, value and attribute they meet."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from strategyhub.ui.forms import _FAST_WIDGETS, DecimalInput

ATTRS = [
    {},
    {"id": "id_x", "class": "usa-input", "required": True, "disabled": False},
    {"aria-describedby": 'a "b" <c>', "data-x": None, "maxlength": 20, "checked": True},
]
VALUES = [
    None,
    "",
    "plain",
    'quotes " & <tags>',
    0,
    12,
    Decimal("9.200000"),
    True,
    False,
    dt.date(2026, 12, 1),
    dt.datetime(2026, 12, 1, 13, 30),
    dt.time(9, 5),
]


@pytest.mark.parametrize(
    "kind", [k for k in _FAST_WIDGETS if k not in (forms.Select, forms.SelectMultiple)]
)
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_fast_markup_is_djangos(kind, attrs):
    for value in VALUES:
        if kind is forms.CheckboxInput and value in (0, 12):
            continue
        try:
            stock = kind(attrs=dict(attrs)).render("name", value, attrs={"id": "id_name"})
        except (TypeError, ValueError, AttributeError):
            continue  # a value this widget cannot show at all (e.g. a time widget given text)
        fast = _FAST_WIDGETS[kind](attrs=dict(attrs)).render("name", value, attrs={"id": "id_name"})
        assert fast == stock, (kind, value)


def test_a_widget_with_its_own_template_keeps_it():
    widget = _FAST_WIDGETS[forms.TextInput]()
    # Another template (one that writes nothing without subwidgets): rendered by Django.
    widget.template_name = "django/forms/widgets/multiwidget.html"
    assert widget.render("n", "v") == ""
    assert _FAST_WIDGETS[forms.TextInput]().render("n", "v").startswith("<input")


def test_decimal_input_shows_the_typed_number():
    fast = _FAST_WIDGETS[DecimalInput]().render("v", Decimal("9.200000"))
    assert 'value="9.2"' in fast and 'inputmode="decimal"' in fast
