"""The Tokens page's form."""

from __future__ import annotations

from django import forms

from api.models import Scope
from api.tokens import MAX_EXPIRY_DAYS
from strategyhub.ui.forms import UswdsFormMixin


class TokenForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What will use it, e.g. “CAD nightly export”. Shown in the history of "
        "everything the token changes.",
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read: the scorecard and OKRs. Read and write: also values and check-ins, "
        "within what your role allows.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=90,
        help_text=f"1 to {MAX_EXPIRY_DAYS} days.",
    )
