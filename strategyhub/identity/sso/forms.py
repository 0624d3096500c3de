"""The agency admin's single sign-on forms (USWDS markup)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

from strategyhub.identity.sso.domains import ADMIN_MAILBOXES
from strategyhub.identity.sso.models import DEFAULT_ROLE_CHOICES, ClientAuth, IdentityProvider
from strategyhub.ui.forms import UswdsFormMixin


class OidcForm(UswdsFormMixin, forms.Form):
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=300,
        assume_scheme="https",
        help_text="For example https://login.microsoftonline.com/TENANT-ID/v2.0 (Entra ID), "
        "https://YOUR-ORG.okta.com (Okta) or https://secure.login.gov (Login.gov).",
    )
    client_id = forms.CharField(label="Client ID", max_length=300)
    client_auth = forms.ChoiceField(label="Client authentication", choices=ClientAuth.choices)
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted and never shown again. Leave empty to keep the stored one; "
        "not used with a signed key assertion.",
    )
    display_name = forms.CharField(
        label="Button label",
        required=False,
        max_length=80,
        help_text="Shown on the sign-in button. Empty: the agency's name.",
    )
    default_role = forms.ChoiceField(label="Role of a new member", choices=DEFAULT_ROLE_CHOICES)
    group_claim = forms.CharField(
        label="Group claim", required=False, max_length=100, initial="groups"
    )
    enabled = forms.BooleanField(label="Sign-in through this provider is on", required=False)

    @classmethod
    def for_provider(cls, provider: IdentityProvider, data: object = None) -> OidcForm:
        initial = {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "client_auth": provider.client_auth,
            "display_name": provider.display_name,
            "default_role": provider.default_role,
            "group_claim": provider.group_claim,
            "enabled": provider.enabled if provider.pk else True,
        }
        return cls(data or None, initial=initial)


class SamlForm(UswdsFormMixin, forms.Form):
    metadata_url = forms.URLField(
        label="IdP metadata URL",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The address of the identity provider's SAML metadata (https).",
    )
    metadata_xml = forms.CharField(
        label="Or the IdP metadata XML",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Paste the metadata document when the provider offers it as a download.",
    )
    display_name = OidcForm.base_fields["display_name"]
    default_role = OidcForm.base_fields["default_role"]
    group_claim = forms.CharField(
        label="Group attribute", required=False, max_length=100, initial="groups"
    )
    enabled = OidcForm.base_fields["enabled"]

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("metadata_url") and not data.get("metadata_xml", "").strip():
            raise forms.ValidationError(gettext("Give the metadata URL or paste the metadata XML."))
        return data


class MappingForm(UswdsFormMixin, forms.Form):
    role_mapping = forms.CharField(
        label="Groups mapped to roles",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One line per group: “group = role” (viewer, contributor, editor or admin). "
        "A person in several mapped groups gets the highest role.",
    )


class DomainForm(UswdsFormMixin, forms.Form):
    domain = forms.CharField(label="Email domain", max_length=253, help_text="e.g. riverton.gov")


class MailboxForm(UswdsFormMixin, forms.Form):
    mailbox = forms.ChoiceField(
        label="Mailbox", choices=[(name, f"{name}@") for name in ADMIN_MAILBOXES]
    )
