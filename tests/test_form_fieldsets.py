"""The measure and key-result forms in groups a person can answer one at a time (issue 23):
each group a ``<fieldset>`` with its legend, every field with a plain label and a help text
that its control (or its group of radio buttons) is described by, and a bad submission shown
again with the message beside its field, in the summary above the form, and the entries
kept. The grouping is declared on the form (``fieldsets``) and rendered by the one form
template; a form without it renders as a plain column."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.forms import KeyResultForm
from okrs.models import KeyResult
from scorecards.forms import MeasureForm
from scorecards.models import Measure
from strategyhub.ui.forms import Fieldset, UswdsFormMixin


class _Controls(HTMLParser):
    """Each control of a page by name: its attributes, the legend of the form section
    (``sh-form-section``) it sits in and the ``aria-describedby`` of the fieldsets around
    it; the sections' legends in order, and every element id."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict] = []  # open fieldsets
        self.controls: dict[str, list[dict]] = {}
        self.legends: list[str] = []
        self.ids: set[str] = set()
        self.section_help: dict[str, str] = {}  # legend -> aria-describedby of the section
        self._legend: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "fieldset":
            section = "sh-form-section" in (attrs.get("class") or "")
            self.stack.append({"section": section, "legend": "", "attrs": attrs})
        elif tag == "legend" and self.stack:
            self._legend = self.stack[-1]
        elif tag in ("input", "select", "textarea") and attrs.get("name"):
            sections = [f for f in self.stack if f["section"]]
            self.controls.setdefault(attrs["name"], []).append(
                {
                    "attrs": attrs,
                    "section": sections[-1]["legend"] if sections else None,
                    "described_around": " ".join(
                        f["attrs"].get("aria-describedby") or "" for f in self.stack
                    ).split(),
                }
            )

    def handle_data(self, data):
        if self._legend is not None:
            self._legend["legend"] += data

    def handle_endtag(self, tag):
        if tag == "legend" and self._legend is not None:
            self._legend["legend"] = " ".join(self._legend["legend"].split())
            if self._legend["section"]:
                self.legends.append(self._legend["legend"])
                described = self._legend["attrs"].get("aria-describedby")
                if described:
                    self.section_help[self._legend["legend"]] = described
            self._legend = None
        elif tag == "fieldset" and self.stack:
            self.stack.pop()


def _parse(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


@pytest.fixture
def measure_form(org_a, plan_a, objective_a):
    with scope(organization=org_a.org):
        form = MeasureForm(plan=plan_a, organization=org_a.org)
        html = str(form)
    return form, html


@pytest.fixture
def key_result_form(org_a, okr):
    with scope(organization=org_a.org):
        form = KeyResultForm(objective=okr, organization=org_a.org)
        html = str(form)
    return form, html


@pytest.fixture
def okr(org_a, objective_a):
    from okrs.cycles import ensure_cycles
    from okrs.models import OkrObjective

    quarter = ensure_cycles(org_a.org, 2026)[2]
    return OkrObjective.objects.create(
        organization=org_a.org,
        cycle=quarter,
        level="unit",
        unit=org_a.unit,
        owner=org_a.editor,
        title="Faster emergency response",
        strategic_objective=objective_a,
    )


@pytest.mark.parametrize("which", ["measure_form", "key_result_form"])
def test_every_field_sits_in_the_group_the_form_declares_under_its_legend(request, which):
    form, html = request.getfixturevalue(which)
    page = _parse(html)
    declared = [str(fieldset.legend) for fieldset in form.fieldsets]
    assert page.legends == declared
    for fieldset in form.fieldsets:
        for name in fieldset.fields:
            assert {c["section"] for c in page.controls[name]} == {str(fieldset.legend)}, name
    grouped = {name for fieldset in form.fieldsets for name in fieldset.fields}
    assert grouped == set(form.fields), "a field in no group, or a group naming no field"


def test_the_measure_groups_are_the_questions_a_person_answers(measure_form):
    _, html = measure_form
    legends = _parse(html).legends
    assert "Which direction is better?" in legends
    assert "Baseline and five-year target" in legends
    assert "Where the numbers come from" in legends
    assert "How often and who" in legends
    # The range bounds apply to one kind of measure: the group says which, in words.
    assert "Range to stay within (only for “Stay within a range”)" in legends
    for jargon in (">Polarity", ">Rollup method", ">Value source", ">Rate base"):
        assert jargon not in html


def test_key_result_fields_for_some_kinds_say_which_kind(key_result_form):
    _, html = key_result_form
    page = _parse(html)
    assert "Only for some kinds of result" in page.legends
    assert "Hold the line only: the value must stay" in html
    assert "Milestones only: due date" in html
    assert ">Hold direction" not in html
    # Shown, not hidden for a script to reveal: a radio group whose first choice is "none".
    options = page.controls["hold_direction"]
    assert [o["attrs"]["value"] for o in options] == ["", "at_least", "at_most"]
    assert "checked" in options[0]["attrs"] and "hidden" not in options[0]["attrs"]
    assert "Not a hold-the-line result" in html


@pytest.mark.parametrize("which", ["measure_form", "key_result_form"])
def test_every_field_has_help_that_its_control_is_described_by(request, which):
    form, html = request.getfixturevalue(which)
    page = _parse(html)
    for name, field in form.fields.items():
        assert str(field.help_text).strip(), f"{name} has no help"
        help_id = f"id_{name}_helptext"
        assert help_id in page.ids, name
        for control in page.controls[name]:
            described = control["attrs"].get("aria-describedby", "").split()
            assert help_id in described + control["described_around"], (name, control)
    for fieldset in form.fieldsets:
        if fieldset.help:
            help_id = page.section_help[str(fieldset.legend)]
            assert help_id in page.ids
            assert str(fieldset.help) in html


def _measure_data(objective, **over):
    data = {
        "objective": objective.pk,
        "name": "Budget variance",
        "unit_kind": "percent_change",
        "decimals": 1,
        "polarity": "range",
        "baseline_value": "3.2",
        "baseline_date": "2026-06-30",
        "tolerance": "0.5",
        "update_frequency": "monthly",
        "visibility": "public",
        "value_source": "entered",
        "rollup_method": "latest",
        "order": 0,
    }
    data.update(over)
    return data


def test_a_bad_measure_shows_its_errors_beside_the_fields_and_keeps_the_entries(
    client, org_a, plan_a, objective_a
):
    client.force_login(org_a.editor)
    url = reverse("scorecards:measure_new", args=["alpha", plan_a.pk])
    # A range measure without its range (the model's rule), and a number that is not one.
    response = client.post(url, _measure_data(objective_a, range_high="two", definition="Net"))
    assert response.status_code == 400
    html = response.content.decode()
    page = _parse(html)
    range_group = "Range to stay within (only for “Stay within a range”)"
    assert 'id="id_range_low_error"' in html and 'id="id_range_high_error"' in html
    assert "A range measure needs its lowest acceptable value." in html
    assert "Enter a number, such as 42 or -3.5." in html
    for name in ("range_low", "range_high"):
        (control,) = page.controls[name]
        assert control["section"] == range_group
        assert control["attrs"]["aria-invalid"] == "true"
        assert control["attrs"]["aria-describedby"].split() == [
            f"id_{name}_error",
            f"id_{name}_helptext",
        ]
    # The summary above the form links to each field in error.
    summary = html.split('class="usa-alert usa-alert--error sh-error-summary"')[1].split("</ul>")[0]
    assert "Please fix 2 fields" in summary
    assert 'href="#id_range_low"' in summary and 'href="#id_range_high"' in summary
    assert "Lowest acceptable value</a>: A range measure needs" in summary
    # What was typed is still there, the bad number as typed.
    assert page.controls["name"][0]["attrs"]["value"] == "Budget variance"
    assert page.controls["range_high"][0]["attrs"]["value"] == "two"
    assert ">\nNet</textarea>" in html
    checked = [c["attrs"]["value"] for c in page.controls["polarity"] if "checked" in c["attrs"]]
    assert checked == ["range"]
    with scopes_disabled():
        assert not Measure.objects.filter(name="Budget variance").exists()

    fixed = client.post(url, _measure_data(objective_a, range_low="-2", range_high="2"))
    assert fixed.status_code == 302
    with scopes_disabled():
        saved = Measure.objects.get(name="Budget variance")
    assert (saved.polarity, str(saved.range_low), str(saved.range_high)) == (
        "range",
        "-2.000000",
        "2.000000",
    )


def test_a_bad_key_result_shows_its_errors_beside_the_fields_and_keeps_the_entries(
    client, org_a, okr
):
    client.force_login(org_a.editor)
    url = reverse("okrs:key_result_new", args=["alpha", okr.pk])
    data = {
        "title": "Keep overtime down",
        "kind": "hold",
        "unit_kind": "number",
        "decimals": 0,
        "target_value": "900",
        "weight": "1",
        "order": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    page = _parse(html)
    assert 'id="id_hold_direction_error"' in html
    assert "Say whether to stay at least or at most the threshold." in html
    options = page.controls["hold_direction"]
    assert {o["section"] for o in options} == {"Only for some kinds of result"}
    for option in options:
        assert option["attrs"]["aria-describedby"] == "id_hold_direction_error"
        assert "id_hold_direction_helptext" in option["described_around"]
    summary = html.split("sh-error-summary")[1].split("</ul>")[0]
    assert "Please fix 1 field" in summary
    assert 'href="#id_hold_direction_0"' in summary  # the radio group's first choice
    assert page.controls["title"][0]["attrs"]["value"] == "Keep overtime down"
    assert page.controls["target_value"][0]["attrs"]["value"] == "900"
    kinds = [c["attrs"]["value"] for c in page.controls["kind"] if "checked" in c["attrs"]]
    assert kinds == ["hold"]

    assert client.post(url, {**data, "hold_direction": "at_most"}).status_code == 302
    with scopes_disabled():
        assert KeyResult.objects.get(title="Keep overtime down").hold_direction == "at_most"


# --- The shared template --------------------------------------------------------------


class _Plain(UswdsFormMixin, forms.Form):
    name = forms.CharField(help_text="As it is known.")
    email = forms.EmailField()


class _Grouped(_Plain):
    note = forms.CharField(required=False)
    fieldsets = (Fieldset("Who", ("email", "name"), help="Tell us who you are."),)


def test_a_form_without_fieldsets_renders_a_plain_column():
    html = str(_Plain({"email": "x"}))
    assert "<fieldset" not in html and "<legend" not in html
    assert "sh-error-summary" not in html  # each message stays beside its field only
    assert html.index('name="name"') < html.index('name="email"')
    assert 'id="id_email_error"' in html


def test_grouped_fields_follow_the_declared_order_and_the_rest_come_after():
    html = str(_Grouped())
    page = _parse(html)
    assert page.legends == ["Who"]
    assert page.section_help == {"Who": "fieldset1_help"} and "fieldset1_help" in page.ids
    assert html.index('name="email"') < html.index('name="name"') < html.index('name="note"')
    assert page.controls["note"][0]["section"] is None
    assert "sh-error-summary" not in html  # no errors, no summary


def test_a_prefixed_grouped_form_keeps_its_ids_apart():
    html = str(_Grouped({"p-name": ""}, prefix="p"))
    assert 'id="p-fieldset1"' in html and 'aria-describedby="p-fieldset1_help"' in html
    assert 'href="#id_p-name"' in html and 'href="#id_p-email"' in html
