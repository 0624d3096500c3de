from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecards import calc
from scorecards.measures import TEXT_LIMIT, ValueRefused, check_target, check_value
from scorecards.models import (
    CausalLink,
    Measure,
    MeasureTarget,
    Perspective,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from strategyhub import units
from strategyhub.forms import MemberChoiceField, collaborators_field, member_choices
from strategyhub.models import Organization, Unit, User
from strategyhub.ui.forms import DecimalInput, FastSelect, Fieldset, RowChoices, UswdsFormMixin

NUMBER_ERROR = "Enter a number, such as 42 or -3.5."
UNIT_FIXED = "Fixed once the measure has values: its series was measured in this unit."
# A measure's numbers, typed as text with a decimal keypad and shown as typed ("9.2").
MEASURE_NUMBERS = ("baseline_value", "target_value", "range_low", "range_high", "tolerance")
# Choices in the words of the measure form (the stored codes and the model's own labels,
# which other pages and the data files use, stay as they are).
POLARITY_LABELS = {
    calc.Polarity.HIGHER: _("Higher is better (e.g. officers trained)"),
    calc.Polarity.LOWER: _("Lower is better (e.g. response time)"),
    calc.Polarity.RANGE: _("Stay within a range (e.g. budget within ±2%)"),
}
ROLLUP_LABELS = {
    "latest": _("The most recent value of any of them"),
    "sum": _("Add up their values"),
    "mean": _("The average of their values"),
    "min": _("The lowest of their values"),
    "max": _("The highest of their values"),
    "score_mean": _("The weighted average of their scores (0 to 1)"),
}


def reword_choices(field: forms.Field, labels: Mapping[str, Any]) -> None:
    """Show ``field``'s choices (a choice field's) with the labels of ``labels`` by stored
    value, in their order; a value not in ``labels`` keeps its label. Validation is the
    field's own: the values do not change."""
    choice_field = cast("forms.ChoiceField", field)
    choice_field.choices = [
        (value, labels.get(str(value), label)) for value, label in choice_field.choices
    ]


def offer_rate_bases(form: forms.ModelForm) -> None:
    """Show the ``rate_per`` field of a measure's or key result's form as a select of the
    usual bases (``strategyhub.units.RATE_BASES``, and the stored one if it is another); the
    model requires it for a rate and clears it for any other unit."""
    current = form.instance.rate_per
    choices: list[tuple[int | str, str]] = [("", "— (not a rate)")]
    choices += units.RATE_BASE_CHOICES
    if current and current not in units.RATE_BASES:
        choices.append((current, f"per {current:,}"))
    field = form.fields["rate_per"]
    field.widget = FastSelect(choices=choices, attrs={"class": "usa-select"})
    field.label = gettext("Per how many (rates only)")
    field.help_text = gettext("For a rate only (“per 100,000”); leave it empty for any other unit.")


class ValueForm(UswdsFormMixin, forms.Form):
    period = forms.DateField(
        label=_("Period"),
        help_text=_("Any day in the month, quarter or year the value is for."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = forms.DecimalField(
        max_digits=20,
        decimal_places=6,
        error_messages={"invalid": NUMBER_ERROR},
        # Text with a decimal keypad: a number input silently drops what it cannot parse.
        widget=DecimalInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What explains this value (optional)."),
    )
    correction = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args,
        today: dt.date | None = None,
        measure: Measure | None = None,
        plan: StrategicPlan | None = None,
        organization: Organization | None = None,
        **kwargs,
    ) -> None:
        """Bound to a ``measure`` (with its ``plan`` and ``organization``), ``clean()``
        applies the measure's value rules; unbound, ``today`` sets the initial period."""
        super().__init__(*args, **kwargs)
        self.measure, self.plan, self.organization = measure, plan, organization
        if today and not self.is_bound:
            self.initial.setdefault("period", today.replace(day=1))

    def clean(self) -> dict[str, Any]:
        """The measure's own value rules (``scorecards.measures.check_value``, the same
        function ``store_value`` calls), once the fields themselves are valid."""
        cleaned = super().clean()
        measure, plan, organization = self.measure, self.plan, self.organization
        if measure and plan and organization and not self.errors:
            try:
                check_value(
                    measure,
                    plan=plan,
                    organization=organization,
                    period=cleaned["period"],
                    value=cleaned["value"],
                    note=cleaned.get("note", ""),
                )
            except ValueRefused as exc:
                self.add_refusal(exc)
        return cleaned

    def add_refusal(self, refusal: ValueRefused) -> None:
        """Show a refusal of the value rules on the fields it names."""
        for field, messages in refusal.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


# --- Editing the plan -----------------------------------------------------------------------
# Tenant foreign keys are declared explicitly with empty querysets and filled per request
# from the agency in scope: a generated field would query every agency at import, and a
# forged id of another agency is then simply "not one of the available choices".


class PlanForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = StrategicPlan
        fields = [
            "title",
            "mission",
            "vision",
            "values",
            "first_fiscal_year",
            "last_fiscal_year",
            "status",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "values": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization


class PerspectiveForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan: StrategicPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization_id = plan.organization_id
        self.instance.plan = plan

    def validate_unique(self):
        super().validate_unique()
        name = self.cleaned_data.get("name")
        if (
            name
            and Perspective.objects.filter(plan=self.instance.plan, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", gettext("This plan already has a perspective of that name."))


class ThemeForm(PerspectiveForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self):
        forms.ModelForm.validate_unique(self)
        name = self.cleaned_data.get("name")
        if (
            name
            and Theme.objects.filter(plan=self.instance.plan, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", gettext("This plan already has a theme of that name."))


def lock_arrangement(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Show ``names`` read-only: a contributor edits the content of an objective or measure
    they own or were granted (README, Roles), while its place in the plan, its owner, its
    visibility and its value source stay an editor's decision. A disabled field keeps the
    stored value whatever is posted."""
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True
            form.fields[name].help_text = gettext("Editors change this.")


class ObjectiveForm(UswdsFormMixin, forms.ModelForm):
    collaborators = collaborators_field()
    perspective = forms.ModelChoiceField(queryset=Perspective.objects.none())
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    owner = MemberChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=_("The one person accountable for this objective."),
    )

    class Meta:
        model = StrategicObjective
        fields = [
            "title",
            "description",
            "perspective",
            "theme",
            "unit",
            "owner",
            "collaborators",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    # Where the objective sits in the plan and who answers for it: an editor's decision.
    ARRANGEMENT_FIELDS = ("perspective", "theme", "unit", "owner", "order")

    def __init__(
        self,
        *args,
        plan: StrategicPlan,
        organization: Organization,
        arrange: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.instance.plan = plan
        self.fields["perspective"].queryset = Perspective.objects.filter(plan=plan)
        self.fields["theme"].queryset = Theme.objects.filter(plan=plan)
        self.fields["unit"].queryset = Unit.objects.filter(organization=organization)
        self.fields["owner"].queryset = member_choices(organization)
        if "collaborators" in self.fields:
            self.fields["collaborators"].queryset = member_choices(organization)
        if not arrange:
            lock_arrangement(self, self.ARRANGEMENT_FIELDS)


class MeasureForm(UswdsFormMixin, forms.ModelForm):
    collaborators = collaborators_field()
    objective = forms.ModelChoiceField(
        queryset=StrategicObjective.objects.none(),
        label=_("Strategic objective"),
        help_text=_("The objective of the plan whose progress this measure shows."),
    )
    org_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Unit"),
        help_text=_("The department, division or team the measure belongs to."),
    )
    owner = MemberChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "The one person accountable for the five-year target, who checks the measure "
            "every period."
        ),
    )

    # The page in groups a person can answer one at a time (issue 23); the groups whose
    # fields apply to some measures only say so in their legend and help, so the form works
    # the same without JavaScript.
    fieldsets = (
        Fieldset(_("What it measures"), ("objective", "name", "definition")),
        Fieldset(
            _("Unit and scale"),
            ("unit_kind", "rate_per", "decimals", "min_value", "max_value"),
            help=_("How its numbers are written and which numbers are possible."),
        ),
        Fieldset(_("Which direction is better?"), ("polarity", "tolerance")),
        Fieldset(
            _("Baseline and five-year target"),
            ("baseline_value", "baseline_date", "target_value"),
            help=_(
                "Where the measure started and where the plan wants it after five years. "
                "The target for each year is set on the measure’s page once it is saved."
            ),
        ),
        Fieldset(
            _("Range to stay within (only for “Stay within a range”)"),
            ("range_low", "range_high"),
            help=_(
                "Fill in both ends only for a measure that should stay within a range, such "
                "as a budget variance within ±2%. Leave them empty for any other measure."
            ),
        ),
        Fieldset(
            _("Where the numbers come from"), ("data_source", "value_source", "rollup_method")
        ),
        Fieldset(
            _("How often and who"), ("update_frequency", "owner", "collaborators", "org_unit")
        ),
        Fieldset(_("Who can see it and where it is listed"), ("visibility", "order")),
    )

    class Meta:
        model = Measure
        fields = [
            "objective",
            "name",
            "definition",
            "data_source",
            "unit_kind",
            "rate_per",
            "decimals",
            "min_value",
            "max_value",
            "polarity",
            "baseline_value",
            "baseline_date",
            "target_value",
            "range_low",
            "range_high",
            "tolerance",
            "update_frequency",
            "owner",
            "collaborators",
            "org_unit",
            "visibility",
            "value_source",
            "rollup_method",
            "order",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}),
            **dict.fromkeys(MEASURE_NUMBERS, DecimalInput()),
            "polarity": forms.RadioSelect,
            "value_source": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        error_messages = {name: {"invalid": NUMBER_ERROR} for name in MEASURE_NUMBERS}
        labels = {
            "name": _("Name"),
            "definition": _("How it is counted"),
            "unit_kind": _("Unit of measure"),
            "decimals": _("Decimal places shown"),
            "polarity": _("Better when the value is"),
            "tolerance": _("Allowed miss before “off track”"),
            "baseline_value": _("Baseline value"),
            "baseline_date": _("Baseline date"),
            "target_value": _("Five-year target"),
            "range_low": _("Lowest acceptable value"),
            "range_high": _("Highest acceptable value"),
            "data_source": _("Data source"),
            "value_source": _("How the numbers get in"),
            "rollup_method": _("How key results combine (calculated measures only)"),
            "update_frequency": _("How often a new value is due"),
            "visibility": _("Who can see it"),
            "order": _("Position in the list"),
        }
        help_texts = {
            "name": _("What staff and residents will read, e.g. “Violent crime rate”."),
            "definition": _("What is counted and how, so anyone would arrive at the same number."),
            "unit_kind": _("What one number means: a count, a percent, minutes, dollars, a rate…"),
            "decimals": _("From 0 to 4. Values are stored exactly as entered."),
            "min_value": _("Values and targets below it are refused (e.g. 1 on a 1–5 scale)."),
            "max_value": _("Values and targets above it are refused (e.g. 5 on a 1–5 scale)."),
            "polarity": _(
                "For a level to hold, choose “Stay within a range” and fill in the range below "
                "instead of a five-year target."
            ),
            "tolerance": _(
                "How far a value may miss the target expected by then and still count as at "
                "risk, not off track, in the measure’s unit. 0: any miss is off track."
            ),
            "baseline_value": _("Where the measure stood at the start, e.g. 485."),
            "baseline_date": _("When the baseline was measured."),
            "target_value": _(
                "Where the plan wants the measure at its end. Leave it empty for “Stay within "
                "a range”."
            ),
            "range_low": _("E.g. -2 for a budget variance within ±2%."),
            "range_high": _("E.g. 2 for a budget variance within ±2%."),
            "data_source": _("Where the numbers are looked up, e.g. “Records system, monthly”."),
            "value_source": _(
                "A calculated measure takes its values from the key results that feed it, so "
                "nobody types them in twice."
            ),
            "rollup_method": _(
                "Only for a measure calculated from key results: how their values become one "
                "number."
            ),
            "update_frequency": _("A measure without a value in time is shown as stale."),
            "visibility": _("Public measures appear on the residents’ dashboard once published."),
            "order": _("An objective’s measures are listed by this number, then by name."),
        }

    # Where the measure sits, who answers for it, whether residents see it and where its
    # values come from: an editor's decision (``lock_arrangement``).
    ARRANGEMENT_FIELDS = (
        "objective",
        "owner",
        "org_unit",
        "visibility",
        "value_source",
        "rollup_method",
        "order",
    )

    def __init__(
        self,
        *args,
        plan: StrategicPlan,
        organization: Organization,
        arrange: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["objective"].queryset = StrategicObjective.objects.filter(
            plan=plan, archived_at=None
        ).select_related("perspective")
        self.fields["org_unit"].queryset = Unit.objects.filter(organization=organization)
        self.fields["owner"].queryset = member_choices(organization)
        if "collaborators" in self.fields:
            self.fields["collaborators"].queryset = member_choices(organization)
        offer_rate_bases(self)
        reword_choices(self.fields["polarity"], POLARITY_LABELS)
        reword_choices(self.fields["rollup_method"], ROLLUP_LABELS)
        if self.instance.pk and self.instance.values.exists():
            # The series was measured in this unit: changing it would misread every value.
            for name in ("unit_kind", "rate_per"):
                self.fields[name].disabled = True
                self.fields[name].help_text = UNIT_FIXED
        if not arrange:
            lock_arrangement(self, self.ARRANGEMENT_FIELDS)


class TargetForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = MeasureTarget
        fields = ["floor", "stretch", "range_high"]
        labels = {"floor": _("Floor (minimum acceptable)"), "range_high": _("Upper end (ranges)")}
        widgets = dict.fromkeys(fields, DecimalInput())
        error_messages = {name: {"invalid": NUMBER_ERROR} for name in fields}

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["floor"].required = False
        if measure.polarity != calc.Polarity.RANGE:
            del self.fields["range_high"]
        else:
            del self.fields["stretch"]
            self.fields["floor"].label = gettext("Lower end")

    def clean(self):
        """The year's target rules (``scorecards.measures.check_target``), for the fields
        that passed their own checks."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            check_target(
                self.measure,
                cleaned.get("floor"),
                cleaned.get("stretch"),
                cleaned.get("range_high"),
            )
        except ValueRefused as refusal:
            for field, messages in refusal.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


class CausalLinkForm(UswdsFormMixin, forms.ModelForm):
    source = forms.ModelChoiceField(
        queryset=StrategicObjective.objects.none(), label=_("This objective (the cause)")
    )
    target = forms.ModelChoiceField(
        queryset=StrategicObjective.objects.none(), label=_("drives this objective (the effect)")
    )

    class Meta:
        model = CausalLink
        fields = ["source", "target", "pathway"]

    def __init__(self, *args, plan: StrategicPlan, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        objectives = StrategicObjective.objects.filter(plan=plan, archived_at=None)
        self.fields["source"].queryset = objectives
        self.fields["target"].queryset = objectives
        # Both pickers drawn from one query of rows (a plan may have hundreds of objectives).
        RowChoices.share(
            objectives.values_list("pk", "title"),
            self.fields["source"],
            self.fields["target"],
        )
        self.plan = plan

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if not (source and target):
            return cleaned
        if source == target:
            self.add_error("target", gettext("An objective cannot drive itself."))
            return cleaned
        if CausalLink.objects.filter(source=source, target=target).exists():
            self.add_error("target", gettext("That link is already on the map."))
            return cleaned
        edges = list(
            CausalLink.objects.filter(source__plan=self.plan).values_list("source_id", "target_id")
        )
        loop = calc.creates_cycle(edges, source.pk, target.pk)
        if loop:
            titles = dict(StrategicObjective.objects.filter(pk__in=loop).values_list("pk", "title"))
            path = " → ".join(titles[pk] for pk in loop)
            self.add_error(
                "target",
                gettext(
                    "This would close a loop (%(path)s). A strategy map reads from causes "
                    "up to effects, so loops are not allowed; remove a link of the loop "
                    "first."
                )
                % {"path": path},
            )
        return cleaned

    def validate_unique(self):
        # The duplicate check is done in clean() with a clearer message.
        pass
