"""The Tokens page's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import Scope
from api.service_accounts import ROLES as SERVICE_ROLES
from api.tokens import MAX_EXPIRY_DAYS
from strategyhub.roles import Role
from strategyhub.ui.forms import UswdsFormMixin


class TokenForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text=_(
            "What will use it, e.g. “CAD nightly export”. Shown in the history of "
            "everything the token changes."
        ),
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read: the scorecard and OKRs. Read and write: also values and check-ins, "
            "within what your role allows."
        ),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=90,
        help_text=f"1 to {MAX_EXPIRY_DAYS} days.",
    )


class ServiceAccountForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=150,
        help_text=_("What it is, e.g. “CAD dispatch feed” or “Power BI refresh”."),
    )
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in SERVICE_ROLES],
        initial=Role.VIEWER,
        help_text=_(
            "Viewer: reads only. Contributor: enters values and check-ins on the units "
            "granted to it. Editor: on everything. Never an admin."
        ),
    )


class ServiceTokenForm(TokenForm):
    """A token of a service account: as a person's, but it may never expire."""

    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        required=False,
        help_text=_("1 to %(days)s days; empty: never (revoke it here when the system goes).")
        % {"days": MAX_EXPIRY_DAYS},
    )
