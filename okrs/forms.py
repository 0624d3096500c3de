from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import F
from django.template.defaultfilters import join
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from okrs import calc, checkins
from okrs.models import Cycle, KeyResult, OkrObjective
from scorecards.forms import offer_rate_bases, reword_choices
from scorecards.models import CausalLink, Measure, StrategicObjective
from strategyhub import idempotency, units
from strategyhub.forms import collaborators_field, member_choices
from strategyhub.models import Organization, Unit, User
from strategyhub.ui.forms import DecimalInput, Fieldset, UswdsBoundField, UswdsFormMixin

NUMBER_ERROR = "Enter a number, such as 42 or -3.5."
# Choices in the words of the key-result form (the stored codes and the model's labels,
# which other pages use, stay as they are).
KIND_LABELS = {
    calc.Kind.METRIC: _("Increase or decrease a number (from a start to a target)"),
    calc.Kind.HOLD: _("Hold the line (stay at or beyond a threshold)"),
    calc.Kind.MILESTONE: _("Milestone (done or not done by a date)"),
    calc.Kind.QUALITATIVE: _("Qualitative (scored 0 to 1, with evidence)"),
}
HOLD_DIRECTION_LABELS = {
    "": _("Not a hold-the-line result"),
    calc.HoldDirection.AT_LEAST: _("At or above the threshold"),
    calc.HoldDirection.AT_MOST: _("At or below the threshold"),
}
# A key result's numbers, typed as text with a decimal keypad and shown as typed ("0.3").
KEY_RESULT_NUMBERS = ("start_value", "target_value", "floor_value", "weight")


class _CheckInField(UswdsBoundField):
    """A check-in field drawn with ``forms/field.html``'s markup (its labelled-control
    branch: the form has no checkbox or radio group), written in Python: My check-ins draws a
    form per key result and the template cost ~85 µs a field, a tenth of the page and of the
    check-in answer (issue 17). ``tests/okrs/test_checkin_answer.py`` holds it to the
    template's output, with and without errors."""

    def as_field_group(self) -> SafeString:
        if self.is_hidden or self.widget_type in ("checkbox", "radioselect"):
            return super().as_field_group()
        errors = self.errors
        auto_id = conditional_escape(self.auto_id)
        word = "" if self.field.required else conditional_escape(gettext("(optional)"))
        optional = f' <span class="usa-hint">{word}</span>' if word else ""
        hint = (
            f'<div class="usa-hint" id="{auto_id}_helptext">{self.help_text}</div>'
            if self.help_text
            else ""
        )
        message = (
            f'<span class="usa-error-message" id="{auto_id}_error" role="alert">'
            f"{join(errors, ' ', autoescape=True)}</span>"
            if errors
            else ""
        )
        group_error, label_error = (
            (" usa-form-group--error", " usa-label--error") if errors else ("", "")
        )
        return mark_safe(  # noqa: S308 - label, ids and messages escaped; the hint is markup
            f'<div class="usa-form-group{group_error}">\n'
            f'  <label class="usa-label{label_error}" for="{auto_id}">'
            f"{conditional_escape(self.label)}{optional}</label>\n"
            f"  {hint}\n"
            f"  {message}\n"
            f"  {self}\n"
            "</div>"  # the renderer strips what a template ends with
        )


class CheckInForm(UswdsFormMixin, forms.Form):
    """The weekly check-in of one key result; fields follow the result's kind. The fields
    check only their type (a number, a date): every rule of an entry (what is required,
    the score's and the confidence's ranges) is ``checkins.validate``'s, run by ``clean``.

    Drawn with ``forms/form.html``'s markup (no fieldsets) written in Python, as its fields
    are (``_CheckInField``)."""

    bound_field_class = _CheckInField

    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(
        label=_("Current value"),
        required=False,
        max_digits=20,
        decimal_places=6,
        error_messages={"invalid": NUMBER_ERROR},
        widget=DecimalInput(attrs={"autocomplete": "off"}),
    )
    done = forms.TypedChoiceField(
        label=_("Done?"),
        required=False,
        choices=[("", "—"), ("yes", "Yes, done"), ("no", "Not yet")],
        coerce=lambda v: v == "yes",
        empty_value=None,
    )
    rubric_score = forms.DecimalField(
        label=_("Score (0 to 1)"),
        required=False,
        max_digits=4,
        decimal_places=3,
        error_messages={"invalid": NUMBER_ERROR},
        widget=DecimalInput(attrs={"autocomplete": "off"}),
    )
    confidence = forms.IntegerField(
        label=_("Confidence (0–10)"),
        required=False,
        help_text=_("How sure are you the result will be reached?"),
        error_messages={"invalid": _("Enter a whole number from 0 to 10.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # The limit is stated here (the browser's maxlength) and enforced by checkins.validate.
    moved = forms.CharField(
        label=_("What moved"),
        required=False,
        max_length=checkins.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    blockers = forms.CharField(
        required=False, max_length=checkins.TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step = forms.CharField(
        label=_("Next step"),
        required=False,
        max_length=checkins.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        required=False,
        max_length=checkins.TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you saw or heard, e.g. what residents said."),
    )
    # A double-clicked or resent submit saves one check-in (strategyhub.idempotency).
    idempotency_key = idempotency.form_field()

    def __init__(self, *args, key_result: KeyResult, today: dt.date, **kwargs):
        kwargs.setdefault("prefix", f"kr{key_result.pk}")  # several forms share one page
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        self.today = today
        kind = calc.Kind(key_result.kind)
        if not self.is_bound:
            self.initial.setdefault("as_of", today)
        if kind not in (calc.Kind.METRIC, calc.Kind.HOLD):
            del self.fields["value"]
        else:
            unit = units.short_label(key_result.unit_kind, key_result.rate_per)
            self.fields["value"].label = gettext("Current value (%(unit)s)") % {"unit": unit}
        if kind != calc.Kind.MILESTONE:
            del self.fields["done"]
        if kind != calc.Kind.QUALITATIVE:
            del self.fields["rubric_score"]
        else:
            self.fields["evidence"].help_text = gettext(
                "Required: what you saw or heard that supports the score."
            )

    def render(
        self,
        template_name: str | None = None,
        context: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        """``forms/form.html`` without fieldsets: the form-wide errors, the fields, the
        hidden fields."""
        if template_name is not None or context is not None or renderer is not None:
            return super().render(template_name, context, renderer)
        top = self.non_field_errors()
        alert = (
            '<div class="usa-alert usa-alert--error usa-alert--slim" role="alert">'
            '<div class="usa-alert__body"><p class="usa-alert__text">'
            f"{join(top, ' ', autoescape=True)}</p></div></div>"
            if top
            else ""
        )
        fields = "".join(bound.as_field_group() for bound in self.visible_fields())
        hidden = "".join(str(bound) for bound in self.hidden_fields())
        # Stripped, as the form renderer strips a template's output.
        return mark_safe(f"{alert}\n{fields}\n{hidden}".strip())  # noqa: S308 - escaped parts

    # Django binds these to its own ``render`` (``RenderableMixin``): drawn with this one.
    __str__ = render
    __html__ = render

    def clean(self) -> dict:
        """The check-in rules (``checkins.validate``), for the fields that passed their own
        checks: a field already in error keeps its first message."""
        data = super().clean()
        if data.get("as_of") is not None:
            try:
                checkins.validate(self.key_result, self.entry(), today=self.today)
            except checkins.CheckInRefused as refusal:
                self.add_refusal(refusal)
        return data

    def entry(self) -> checkins.CheckInEntry:
        """What the form collected (after validation)."""
        data = self.cleaned_data
        return checkins.CheckInEntry(
            as_of=data["as_of"],
            value=data.get("value"),
            done=data.get("done"),
            rubric_score=data.get("rubric_score"),
            confidence=data.get("confidence"),
            moved=data.get("moved", ""),
            blockers=data.get("blockers", ""),
            next_step=data.get("next_step", ""),
            evidence=data.get("evidence", ""),
        )

    def add_refusal(self, refusal: checkins.CheckInRefused) -> None:
        """Show a refusal's messages on their fields (the form-wide ones above the form)."""
        for field, messages in refusal.message_dict.items():
            target = field if field in self.fields else None
            if target is not None and target in self.errors:
                continue
            for message in messages:
                self.add_error(target, message)


# --- Editing OKRs ---------------------------------------------------------------------------
# Tenant foreign keys are declared with empty querysets and filled per request from the
# agency in scope, so a forged id of another agency is "not one of the available choices".


class _Person(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class OkrObjectiveForm(UswdsFormMixin, forms.ModelForm):
    collaborators = collaborators_field()
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none())
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    owner = _Person(queryset=User.objects.none(), required=False)
    strategic_objective = forms.ModelChoiceField(
        queryset=StrategicObjective.objects.none(), required=False, label=_("Serves (strategy)")
    )
    causal_link = forms.ModelChoiceField(
        queryset=CausalLink.objects.none(), required=False, label=_("Works on the link")
    )
    parent = forms.ModelChoiceField(
        queryset=OkrObjective.objects.none(), required=False, label=_("Contributes to")
    )

    class Meta:
        model = OkrObjective
        fields = [
            "cycle",
            "title",
            "description",
            "level",
            "unit",
            "owner",
            "collaborators",
            "strategic_objective",
            "causal_link",
            "parent",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["cycle"].queryset = Cycle.objects.exclude(status="closed").order_by("start")
        self.fields["unit"].queryset = Unit.objects.order_by("name")
        self.fields["owner"].queryset = member_choices(organization)
        self.fields["collaborators"].queryset = member_choices(organization)
        self.fields["strategic_objective"].queryset = StrategicObjective.objects.filter(
            archived_at=None, plan__status__in=["active", "draft"]
        ).order_by("plan__first_fiscal_year", "title")
        self.fields["causal_link"].queryset = CausalLink.objects.select_related("source", "target")
        parents = OkrObjective.objects.filter(archived_at=None).select_related("cycle")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        # Annual objectives first within their fiscal year (a quarter's objectives align to
        # them); the model refuses a parent of another fiscal year.
        self.fields["parent"].queryset = parents.order_by(
            "cycle__fiscal_year", F("cycle__quarter").asc(nulls_first=True), "title"
        )
        self.fields["parent"].label_from_instance = lambda o: f"{o.title} ({o.cycle.label})"


class KeyResultForm(UswdsFormMixin, forms.ModelForm):
    collaborators = collaborators_field()
    owner = _Person(
        queryset=User.objects.none(),
        required=False,
        help_text=_("The one person accountable for this quarter’s result."),
    )
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        label=_("Scorecard measure it feeds"),
        help_text=_(
            "Only a measure calculated from key results can be fed: this result’s values then "
            "calculate it. Leave it empty if the result only contributes."
        ),
    )

    # The page in groups a person can answer one at a time (issue 23); the fields that
    # apply to some kinds of result only say so in their group's legend and help, so the
    # form works the same without JavaScript.
    fieldsets = (
        Fieldset(_("What result"), ("title", "kind")),
        Fieldset(_("Who is responsible"), ("owner", "collaborators")),
        Fieldset(
            _("How it is counted"),
            ("unit_kind", "rate_per", "decimals"),
            help=_("How the result’s numbers are written."),
        ),
        Fieldset(
            _("Start and target (numbers only)"),
            ("start_value", "target_value", "floor_value"),
            help=_(
                "For “Increase or decrease”: where it starts and the stretch target. For "
                "“Hold the line”: the threshold, as the target. Leave them empty for a "
                "milestone or a qualitative result."
            ),
        ),
        Fieldset(
            _("Only for some kinds of result"),
            ("hold_direction", "due_date"),
            help=_("Each field says the kind it is for; leave the others as they are."),
        ),
        Fieldset(_("How it adds up"), ("weight", "measure", "is_counterweight", "order")),
    )

    class Meta:
        model = KeyResult
        fields = [
            "title",
            "owner",
            "collaborators",
            "kind",
            "unit_kind",
            "rate_per",
            "decimals",
            "start_value",
            "target_value",
            "floor_value",
            "hold_direction",
            "due_date",
            "weight",
            "measure",
            "is_counterweight",
            "order",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            **dict.fromkeys(KEY_RESULT_NUMBERS, DecimalInput()),
            "kind": forms.RadioSelect,
            "hold_direction": forms.RadioSelect,
        }
        error_messages = {name: {"invalid": NUMBER_ERROR} for name in KEY_RESULT_NUMBERS}
        labels = {
            "title": _("Result"),
            "kind": _("What kind of result is it?"),
            "unit_kind": _("Unit of measure"),
            "decimals": _("Decimal places shown"),
            "start_value": _("Start value"),
            "target_value": _("Target (stretch) or threshold"),
            "floor_value": _("Scorecard minimum"),
            "hold_direction": _("Hold the line only: the value must stay"),
            "due_date": _("Milestones only: due date"),
            "weight": _("Weight in the objective’s score"),
            "is_counterweight": _("This is a counterweight (a guardrail)"),
            "order": _("Position in the list"),
        }
        help_texts = {
            "title": _("The outcome, e.g. “Respond to serious incidents in under 8 minutes”."),
            "kind": _("It decides how the result is scored and which fields below it needs."),
            "unit_kind": _("What one number means: a count, a percent, minutes, dollars, a rate…"),
            "decimals": _("From 0 to 4. Values are stored exactly as entered."),
            "start_value": _("Where the number stands at the start of the quarter."),
            "target_value": _(
                "The stretch target: reaching 0.7 of the way from the start counts as success. "
                "For hold-the-line, the threshold to stay at or beyond."
            ),
            "floor_value": _(
                "The minimum the scorecard asks for, shown on the same bar as the stretch target."
            ),
            "hold_direction": _(
                "Whether the value must stay at or above, or at or below, the threshold."
            ),
            "due_date": _("When the milestone is due, within the quarter."),
            "weight": _(
                "How much it counts in its objective’s score next to the other results: 1 is "
                "usual, 2 counts double."
            ),
            "is_counterweight": _(
                "A result that must not get worse while the others are pushed, e.g. staff "
                "overtime while response times fall."
            ),
            "order": _("An objective’s key results are listed by this number."),
        }

    def __init__(self, *args, objective: OkrObjective, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.instance.objective = objective
        self.fields["owner"].queryset = member_choices(organization)
        self.fields["collaborators"].queryset = member_choices(organization)
        self.fields["measure"].queryset = Measure.objects.filter(archived_at=None).order_by("name")
        offer_rate_bases(self)
        reword_choices(self.fields["kind"], KIND_LABELS)
        reword_choices(self.fields["hold_direction"], HOLD_DIRECTION_LABELS)
        self.fields["weight"].error_messages["min_value"] = "The weight must be above 0."


class ReviewForm(UswdsFormMixin, forms.Form):
    final_score = forms.DecimalField(
        label=_("Final score (0 to 1)"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text=(
            _(
                "Proposed from the key results (shown rounded; kept as is, the exact score is "
                "stored); 0.7 is success."
            )
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": NUMBER_ERROR,
            "min_value": _("The final score is between 0 and 1 (0.7 is success)."),
            "max_value": _("The final score is between 0 and 1 (0.7 is success)."),
            "max_decimal_places": _("Enter the final score with at most 4 decimals."),
            "max_digits": _("Enter the final score with at most 4 decimals."),
        },
    )
    what_worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    DECISIONS = [
        ("", "— Not decided yet"),
        ("complete", "Complete"),
        ("carry_over", "Carry over"),
        ("drop", "Drop"),
    ]

    def __init__(self, *args, key_results, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_results = key_results
        for kr in key_results:
            # The key result named in full: a select labelled only with its title said
            # nothing of what is chosen (found in browser testing).
            self.fields[f"decision_{kr.pk}"] = forms.ChoiceField(
                label=f"Decision for “{kr.title}”: complete, carry over or drop",
                choices=self.DECISIONS,
                required=False,
                initial=kr.review_decision,
                widget=forms.Select(attrs={"class": "usa-select"}),
            )

    def decisions(self) -> dict[int, str]:
        return {kr.pk: self.cleaned_data.get(f"decision_{kr.pk}", "") for kr in self.key_results}
