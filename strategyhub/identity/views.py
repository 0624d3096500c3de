"""The agency admin's sign-in pages: the rules (``/o/<slug>/settings/sign-in/``) and the
members' two-factor state and security history (``/o/<slug>/members/security/``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from strategyhub.http import OrganizationRequest
from strategyhub.identity.events import has_second_factor
from strategyhub.identity.models import MfaRequirement, SecurityEvent, SignInPolicy
from strategyhub.identity.policies import policy_for_editing, save_policy
from strategyhub.identity.queries import members_with_mfa
from strategyhub.identity.resets import ResetError, reset_member_mfa
from strategyhub.identity.sessions import SIGNED_IN_VIA
from strategyhub.models import Membership
from strategyhub.permissions import Action, require
from strategyhub.ui.forms import UswdsFormMixin


class SignInPolicyForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = SignInPolicy
        fields = [
            "mfa_required",
            "session_lifetime_minutes",
            "idle_timeout_minutes",
            "sso_required",
        ]
        widgets = {
            "session_lifetime_minutes": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "idle_timeout_minutes": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, admin_has_mfa: bool, admin_used_sso: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin_has_mfa = admin_has_mfa
        self.admin_used_sso = admin_used_sso

    def clean_sso_required(self) -> bool:
        value = self.cleaned_data["sso_required"]
        if value and not self.instance.sso_required and not self.admin_used_sso:
            # As with two-factor sign-in: the admin proves the provider works for them
            # first, so that the rule cannot lock the agency out of its own pages.
            raise forms.ValidationError(
                gettext(
                    "Sign in through the agency's identity provider yourself first (set it up "
                    "under “Single sign-on”), then require it here."
                )
            )
        return value

    def clean_mfa_required(self) -> str:
        value = self.cleaned_data["mfa_required"]
        if value != MfaRequirement.OFF and not self.admin_has_mfa:
            # As GitHub does for an organisation: the admin who requires it has it first,
            # so the rule cannot lock its own author out of this page.
            raise forms.ValidationError(
                gettext(
                    "Set up two-factor sign-in for yourself first (your profile, "
                    "“Two-factor sign-in”), then require it here."
                )
            )
        return value


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def sign_in_policy(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    policy = policy_for_editing(request.organization)
    form = SignInPolicyForm(
        request.POST or None,
        instance=policy,
        admin_has_mfa=has_second_factor(request.user),
        admin_used_sso=request.session.get(SIGNED_IN_VIA) == request.organization.pk,
    )
    if request.method == "POST" and form.is_valid():
        save_policy(
            request.organization,
            mfa_required=form.cleaned_data["mfa_required"],
            session_lifetime_minutes=form.cleaned_data["session_lifetime_minutes"],
            idle_timeout_minutes=form.cleaned_data["idle_timeout_minutes"],
            sso_required=form.cleaned_data["sso_required"],
        )
        messages.success(request, gettext("The sign-in rules were saved."))
        return redirect("agency:sign_in_policy", org_slug=org_slug)
    history = policy.history.select_related("history_user")[:20] if policy.pk else []
    return render(
        request,
        "agency/sign_in_policy.html",
        {"form": form, "history": history},
        status=400 if form.errors else 200,
    )


@require(Action.MANAGE_MEMBERS)
@require_http_methods(["GET"])
def member_security(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    """The agency's members with their two-factor state, and their recent sign-ins and
    changes (this agency's members only)."""
    organization = request.organization
    return render(
        request,
        "agency/member_security.html",
        {
            "members": members_with_mfa(organization),
            "events": SecurityEvent.objects.of_members(organization)[:100],
        },
    )


@require(Action.MANAGE_MEMBERS)
@require_POST
def member_mfa_reset(
    request: OrganizationRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id)
    try:
        removed = reset_member_mfa(membership, by=request.user)
    except ResetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext(
                "Two-factor sign-in of %(display_name)s was reset (%(removed)s "
                "factor%(value)s removed)."
            )
            % {
                "display_name": membership.user.display_name,
                "removed": removed,
                "value": "s" if removed != 1 else "",
            },
        )
    return redirect("agency:member_security", org_slug=org_slug)
