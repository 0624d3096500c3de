"""allauth's account and MFA forms with USWDS markup and accessible error wiring."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms
from django.utils.translation import gettext

from strategyhub.ui.forms import UswdsFormMixin


class LoginForm(UswdsFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = gettext("Email address")
        login.widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
        self.fields["password"].help_text = ""  # the page links to the reset form itself


class ResetPasswordForm(UswdsFormMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = gettext("Email address")
        email.widget = forms.EmailInput(attrs={"autocomplete": "email"})


class ResetPasswordKeyForm(UswdsFormMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = gettext("New password")
        self.fields["password2"].label = gettext("Repeat the new password")


class ChangePasswordForm(UswdsFormMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = gettext("Current password")
        self.fields["password1"].label = gettext("New password")
        self.fields["password2"].label = gettext("Repeat the new password")


class SetPasswordForm(UswdsFormMixin, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = gettext("New password")
        self.fields["password2"].label = gettext("Repeat the new password")


class ReauthenticateForm(UswdsFormMixin, allauth_forms.ReauthenticateForm):
    pass


# --- Two-factor sign-in (allauth.mfa): the same forms with USWDS markup --------------------


class MfaAuthenticateForm(UswdsFormMixin, mfa_base_forms.AuthenticateForm):
    pass


class MfaReauthenticateForm(UswdsFormMixin, mfa_base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(UswdsFormMixin, totp_forms.ActivateTOTPForm):
    pass


class DeactivateTOTPForm(UswdsFormMixin, totp_forms.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(UswdsFormMixin, recovery_forms.GenerateRecoveryCodesForm):
    pass


class AddWebAuthnForm(UswdsFormMixin, webauthn_forms.AddWebAuthnForm):
    pass


class EditWebAuthnForm(UswdsFormMixin, webauthn_forms.EditWebAuthnForm):
    pass
