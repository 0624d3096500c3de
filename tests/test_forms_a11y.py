"""Form markup found wanting in browser testing: every control styled with its USWDS class,
errors tied to their field in prefixed forms, stored decimals shown as typed, and a reason
given for a field that cannot change."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django import forms
from django_scopes import scope
from pytest_django.asserts import assertHTMLEqual

from okrs.cycles import ensure_cycles
from okrs.forms import CheckInForm, KeyResultForm
from okrs.models import KeyResult, OkrObjective
from scorecards.forms import MeasureForm, TargetForm, ValueForm
from scorecards.models import Measure, MeasureTarget
from strategyhub.ui.forms import DecimalInput, UswdsFormMixin


def _input(html: str, field_id: str) -> str:
    """The opening tag of the control with ``field_id``."""
    start = html.index(f'id="{field_id}"')
    return html[html.rindex("<", 0, start) : html.index(">", start) + 1]


def _classes(tag: str) -> list[str]:
    return tag.split('class="', 1)[1].split('"', 1)[0].split()


@pytest.fixture
def key_result(org_a, objective_a):
    quarter = ensure_cycles(org_a.org, 2026)[2]
    okr = OkrObjective.objects.create(
        organization=org_a.org,
        cycle=quarter,
        level="unit",
        unit=org_a.unit,
        owner=org_a.editor,
        title="Faster emergency response",
        strategic_objective=objective_a,
    )
    kr = KeyResult.objects.create(
        organization=org_a.org,
        objective=okr,
        title="Respond to serious incidents in under 8 min",
        owner=org_a.contributor,
        kind="metric",
        unit_kind="minutes",
        start_value=D("9.2"),
        target_value=D("8.0"),
        floor_value=D("8.98"),
        weight=D("0.3"),
    )
    return KeyResult.objects.get(pk=kr.pk)  # as stored: 9.200000, 0.300000


# --- Error wiring -----------------------------------------------------------------------


def test_prefixed_check_in_form_points_at_its_own_error_message(org_a, key_result):
    with scope(organization=org_a.org):
        form = CheckInForm(
            {f"kr{key_result.pk}-as_of": "2026-11-20", f"kr{key_result.pk}-value": "slow"},
            key_result=key_result,
            today=dt.date(2026, 11, 22),
        )
        assert not form.is_valid()
        html = str(form)
    field_id = f"id_kr{key_result.pk}-value"
    tag = _input(html, field_id)
    assert f'aria-describedby="{field_id}_error"' in tag
    assert 'aria-invalid="true"' in tag
    assert "usa-input--error" in _classes(tag)
    assert f'id="{field_id}_error"' in html
    assert 'id="id_value_error"' not in html and "id_value_error" not in html


def test_error_and_hint_are_both_described_in_a_prefixed_form():
    class Form(UswdsFormMixin, forms.Form):
        amount = forms.DecimalField(help_text="In dollars.")

    form = Form({"p-amount": "x"}, prefix="p")
    assert not form.is_valid()
    tag = _input(str(form), "id_p-amount")
    assert 'aria-describedby="id_p-amount_error id_p-amount_helptext"' in tag
    # Without an error the hint alone describes the field (Django's own wiring).
    clean = _input(str(Form(prefix="p")), "id_p-amount")
    assert 'aria-describedby="id_p-amount_helptext"' in clean
    assert "aria-invalid" not in clean


def test_error_wiring_follows_a_custom_auto_id():
    class Form(UswdsFormMixin, forms.Form):
        name = forms.CharField()

    form = Form({}, auto_id="f-%s", prefix="x")
    assert not form.is_valid()
    html = str(form)
    assert 'aria-describedby="f-x-name_error"' in _input(html, "f-x-name")
    assert 'id="f-x-name_error"' in html


# --- Every control styled ---------------------------------------------------------------


def test_a_widget_replaced_after_init_is_still_styled():
    class Form(UswdsFormMixin, forms.Form):
        amount = forms.DecimalField()
        kind = forms.ChoiceField(choices=[("a", "A")])

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["amount"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields["kind"].widget = forms.Select(choices=[("a", "A")])

    html = str(Form())
    assert _classes(_input(html, "id_amount")) == ["usa-input"]
    assert _classes(_input(html, "id_kind")) == ["usa-select"]


def test_classes_are_not_repeated():
    class Form(UswdsFormMixin, forms.Form):
        kind = forms.ChoiceField(
            choices=[("a", "A")], widget=forms.Select(attrs={"class": "usa-select wide"})
        )

    form = Form({"kind": "zzz"})
    assert not form.is_valid()
    assert _classes(_input(str(form), "id_kind")) == ["usa-select", "wide", "usa-input--error"]


MEASURE_NUMBERS = ("baseline_value", "target_value", "range_low", "range_high", "tolerance")


def test_measure_form_number_inputs_are_styled_and_show_values_as_typed(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        Measure.objects.filter(pk=measure_a.pk).update(range_low=D("8.98"), range_high=D(500))
        measure = Measure.objects.get(pk=measure_a.pk)
        assert str(measure.tolerance) == "8.000000"  # what the edit form used to show
        html = str(MeasureForm(instance=measure, plan=plan_a, organization=org_a.org))
    for name in MEASURE_NUMBERS:
        tag = _input(html, f"id_{name}")
        assert "usa-input" in _classes(tag), tag
        assert 'inputmode="decimal"' in tag
        assert 'type="text"' in tag
    assert 'value="485"' in _input(html, "id_baseline_value")
    assert 'value="364"' in _input(html, "id_target_value")
    assert 'value="8.98"' in _input(html, "id_range_low")
    assert 'value="500"' in _input(html, "id_range_high")
    assert 'value="8"' in _input(html, "id_tolerance")


def test_measure_form_number_errors_keep_their_message(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        form = MeasureForm(
            {"baseline_value": "lots"}, instance=measure_a, plan=plan_a, organization=org_a.org
        )
        assert not form.is_valid()
    assert form.errors["baseline_value"] == ["Enter a number, such as 42 or -3.5."]


def test_yearly_target_inputs_are_styled_and_show_values_as_typed(org_a, measure_a):
    with scope(organization=org_a.org):
        target = MeasureTarget.objects.create(
            organization=org_a.org,
            measure=measure_a,
            fiscal_year=2027,
            floor=D("450.5"),
            stretch=D(440),
        )
        target = MeasureTarget.objects.get(pk=target.pk)
        form = TargetForm(instance=target, prefix="fy2027", measure=measure_a)
        html = str(form)
        bad = TargetForm({"fy2027-floor": "x"}, instance=target, prefix="fy2027", measure=measure_a)
        assert not bad.is_valid()
    for name in ("floor", "stretch"):
        tag = _input(html, f"id_fy2027-{name}")
        assert "usa-input" in _classes(tag), tag
        assert 'inputmode="decimal"' in tag
    assert 'value="450.5"' in _input(html, "id_fy2027-floor")
    assert 'value="440"' in _input(html, "id_fy2027-stretch")
    assert bad.errors["floor"] == ["Enter a number, such as 42 or -3.5."]


def test_key_result_form_number_inputs_are_styled_and_show_values_as_typed(org_a, key_result):
    with scope(organization=org_a.org):
        html = str(
            KeyResultForm(
                instance=key_result, objective=key_result.objective, organization=org_a.org
            )
        )
    expected = {
        "start_value": "9.2",
        "target_value": "8",
        "floor_value": "8.98",
        "weight": "0.3",
    }
    for name, value in expected.items():
        tag = _input(html, f"id_{name}")
        assert "usa-input" in _classes(tag), tag
        assert 'inputmode="decimal"' in tag
        assert f'value="{value}"' in tag, tag


def test_key_result_form_number_errors_keep_their_messages(org_a, key_result):
    with scope(organization=org_a.org):
        form = KeyResultForm(
            {"weight": "heavy", "start_value": "-"},
            instance=key_result,
            objective=key_result.objective,
            organization=org_a.org,
        )
        assert not form.is_valid()
    assert form.errors["weight"] == ["Enter a number, such as 42 or -3.5."]
    assert form.errors["start_value"] == ["Enter a number, such as 42 or -3.5."]


def test_value_form_is_unchanged_by_the_decimal_input():
    html = str(ValueForm(initial={"value": D("12.500000")}))
    assertHTMLEqual(
        _input(html, "id_value"),
        '<input type="text" name="value" value="12.5" inputmode="decimal" autocomplete="off"'
        ' class="usa-input" required id="id_value">',
    )


def test_decimal_input_shows_what_was_typed_back_unchanged():
    widget = DecimalInput()
    assert widget.format_value(D("470.000000")) == "470"
    assert widget.format_value(D("-0.050000")) == "-0.05"
    assert widget.format_value("1,5") == "1,5"  # a bound form shows the entry as typed
    assert widget.format_value(None) is None


# --- A field that cannot change says why -----------------------------------------------


def test_locked_unit_explains_why(org_a, plan_a, measure_a):
    reason = "Fixed once the measure has values: its series was measured in this unit."
    with scope(organization=org_a.org):
        form = MeasureForm(instance=measure_a, plan=plan_a, organization=org_a.org)
        html = str(form)
    for name in ("unit_kind", "rate_per"):
        assert form.fields[name].disabled
        assert form.fields[name].help_text == reason
        tag = _input(html, f"id_{name}")
        assert "disabled" in tag
        assert f'aria-describedby="id_{name}_helptext"' in tag
    assert html.count(reason) == 2


def test_unit_without_values_has_no_lock_reason(org_a, plan_a, objective_a):
    with scope(organization=org_a.org):
        form = MeasureForm(plan=plan_a, organization=org_a.org)
    assert not form.fields["unit_kind"].disabled
    assert "Fixed once" not in str(form)
