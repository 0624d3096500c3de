"""Selects are written in Python (strategyhub/ui/forms.py) with the markup Django's
templates give, so a 400-member picker costs ~1 ms instead of ~40."""

import pytest
from django import forms
from django_scopes import scope
from pytest_django.asserts import assertHTMLEqual

from strategyhub.models import Unit
from strategyhub.ui.forms import FastSelect, FastSelectMultiple, RowChoices, UswdsFormMixin

CHOICES = [("", "—"), ("1", "Ann & <Bob>"), ("Team", [("2", "Cy"), ("3", "Di")])]


@pytest.mark.parametrize(
    ("plain", "fast", "value"),
    [(forms.Select, FastSelect, "2"), (forms.SelectMultiple, FastSelectMultiple, ["1", "3"])],
)
def test_fast_select_writes_the_same_markup_as_django(plain, fast, value):
    attrs = {"class": "usa-select", "aria-describedby": "hint err", "required": True}
    django_html = plain(attrs=attrs, choices=CHOICES).render("owner", value, {"id": "id_owner"})
    ours = fast(attrs=attrs, choices=CHOICES).render("owner", value, {"id": "id_owner"})
    assertHTMLEqual(ours, django_html)
    assert "Ann &amp; &lt;Bob&gt;" in ours


@pytest.mark.parametrize(
    ("plain", "fast"), [(forms.Select, FastSelect), (forms.SelectMultiple, FastSelectMultiple)]
)
@pytest.mark.parametrize("value", [None, "", "1", ["2", "3"], "missing", 2])
def test_fast_select_marks_what_django_marks(plain, fast, value):
    # The same value twice: a single select marks only the first, a multiple one both.
    choices = [*CHOICES, ("2", "Cy again"), (None, "None as a value")]
    django_html = plain(choices=choices).render("owner", value)
    assertHTMLEqual(fast(choices=choices).render("owner", value), django_html)


def test_shared_row_choices_draw_what_the_queryset_draws(db, django_assert_num_queries):
    from tests.factories.tenancy import UnitFactory

    organization = UnitFactory(name="Parks & <Rec>").organization
    with scope(organization=organization):
        UnitFactory(organization=organization, name="Roads")
        units = Unit.objects.filter(organization=organization)

        class Form(UswdsFormMixin, forms.Form):
            first = forms.ModelChoiceField(queryset=units)
            second = forms.ModelChoiceField(queryset=units, empty_label=None)

        stock = Form(initial={"second": units.last().pk})
        expected = str(stock["first"]) + str(stock["second"])
        shared = Form(initial={"second": units.last().pk})
        RowChoices.share(
            units.values_list("pk", "name"), shared.fields["first"], shared.fields["second"]
        )
        with django_assert_num_queries(1):  # both pickers from one query
            drawn = str(shared["first"]) + str(shared["second"])
        assertHTMLEqual(drawn, expected)
        # What is submitted is still checked against the queryset.
        assert not Form({"first": 0, "second": units.first().pk}).is_valid()


def test_forms_use_the_fast_select():
    class Form(UswdsFormMixin, forms.Form):
        owner = forms.ChoiceField(choices=CHOICES)
        colour = forms.ChoiceField(choices=[("r", "Red")], widget=forms.RadioSelect)

    form = Form()
    assert type(form.fields["owner"].widget) is FastSelect
    assert type(form.fields["colour"].widget) is forms.RadioSelect
    assert 'class="usa-select"' in str(form["owner"])


def test_radio_choices_render_as_a_uswds_radio_group():
    class Form(UswdsFormMixin, forms.Form):
        colour = forms.ChoiceField(
            choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect, help_text="Pick."
        )

    html = str(Form()["colour"].as_field_group())
    assert '<legend class="usa-legend">Colour' in html
    assert html.count('class="usa-radio"') == 2 and "usa-input" not in html
    assert 'class="usa-radio__input"' in html and 'for="id_colour_1"' in html
