from __future__ import annotations

import datetime as dt

from django import forms

from okrs import calc
from okrs.models import KeyResult
from strategyhub.forms_rendering import UswdsFormMixin

NUMBER_ERROR = "Enter a number, such as 42 or -3.5."


class CheckInForm(UswdsFormMixin, forms.Form):
    """The weekly check-in of one key result; fields follow the result's kind."""

    as_of = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(
        label="Current value", required=False, max_digits=20, decimal_places=6,
        error_messages={"invalid": NUMBER_ERROR},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    done = forms.TypedChoiceField(
        label="Done?", required=False, choices=[("", "—"), ("yes", "Yes, done"), ("no", "Not yet")],
        coerce=lambda v: v == "yes", empty_value=None,
    )  # fmt: skip
    rubric_score = forms.DecimalField(
        label="Score (0 to 1)", required=False, min_value=0, max_value=1, max_digits=4,
        decimal_places=3, error_messages={"invalid": NUMBER_ERROR},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    confidence = forms.IntegerField(
        label="Confidence (0–10)", required=False, min_value=0, max_value=10,
        help_text="How sure are you the result will be reached?",
        error_messages={"invalid": "Enter a whole number from 0 to 10."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    moved = forms.CharField(
        label="What moved", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    blockers = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(
        label="Next step", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you saw or heard, e.g. what residents said.",
    )

    def __init__(self, *args, key_result: KeyResult, today: dt.date, **kwargs):
        kwargs.setdefault("prefix", f"kr{key_result.pk}")
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        kind = calc.Kind(key_result.kind)
        if not self.is_bound:
            self.initial.setdefault("as_of", today)
        if kind not in (calc.Kind.METRIC, calc.Kind.HOLD):
            del self.fields["value"]
        else:
            unit = key_result.get_unit_kind_display().lower()
            label = key_result.unit_label or ("%" if key_result.unit_kind == "percent" else unit)
            self.fields["value"].label = f"Current value ({label})"
            self.fields["value"].required = True
        if kind != calc.Kind.MILESTONE:
            del self.fields["done"]
        else:
            self.fields["done"].required = True
        if kind != calc.Kind.QUALITATIVE:
            del self.fields["rubric_score"]
        else:
            self.fields[
                "evidence"
            ].help_text = "Required: what you saw or heard that supports the score."
