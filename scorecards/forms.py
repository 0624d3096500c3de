from __future__ import annotations

import datetime as dt

from django import forms

from strategyhub.forms_rendering import UswdsFormMixin


class ValueForm(UswdsFormMixin, forms.Form):
    period = forms.DateField(
        label="Period",
        help_text="Any day in the month, quarter or year the value is for.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = forms.DecimalField(
        max_digits=20,
        decimal_places=6,
        error_messages={"invalid": "Enter a number, such as 42 or -3.5."},
        # Text with a decimal keypad: a number input silently drops what it cannot parse.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What explains this value (optional).",
    )
    correction = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if today and not self.is_bound:
            self.initial.setdefault("period", today.replace(day=1))
