"""The core's forms: the profile, members and invitations, units, agency settings,
and the member picker every app uses (``member_choices``, ``MemberChoiceField``,
``collaborators_field``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategyhub import validators
from strategyhub.models import Membership, Organization, Unit, User
from strategyhub.roles import Role
from strategyhub.ui.forms import UswdsFormMixin


class ProfileForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"full_name": _("Full name"), "language": _("Language")}
        help_texts = {
            "full_name": _("Shown to colleagues as the owner of items."),
            "language": _(
                "The language of your pages and emails; by default, your agency's language."
            ),
        }
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}


class TenantUnitChoiceMixin:
    """Offers only units of the agency in scope (the queryset is scoped)."""

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.filter(organization=organization)


# --- The member picker ----------------------------------------------------------------------
# Person fields are declared with an empty queryset and filled per request with
# ``member_choices(organization)``: a forged id of another agency is then simply "not one of
# the available choices".


def member_choices(organization: Organization) -> QuerySet[User]:
    """People who may own items: active members of the agency who can update what they own
    (not viewers, not service accounts: a system owns nothing), by name then email."""
    return (
        User.objects.filter(
            memberships__organization=organization,
            memberships__is_active=True,
            is_active=True,
            is_service_account=False,
        )
        .exclude(
            memberships__in=Membership.objects.filter(organization=organization, role=Role.VIEWER)
        )
        .order_by("full_name", "email")
        .distinct()
    )


OWNER_CHOICE_ERROR = (
    "Choose an active member who can update it: viewers and deactivated members cannot own "
    "items (give them another role first)."
)


def member_label(user: User) -> str:
    """A member as a picker lists them: "Name (email)", or the email alone."""
    return f"{user.display_name} ({user.email})" if user.full_name else user.email


class MemberChoiceField(forms.ModelChoiceField):
    """Picks one member (an owner); fill its queryset with ``member_choices``."""

    default_error_messages = {"invalid_choice": OWNER_CHOICE_ERROR}

    def label_from_instance(self, obj: User) -> str:
        return member_label(obj)


class MembersChoiceField(forms.ModelMultipleChoiceField):
    """Picks several members; fill its queryset with ``member_choices``."""

    def label_from_instance(self, obj: User) -> str:
        return member_label(obj)


def collaborators_field() -> MembersChoiceField:
    """The optional collaborators of an item (the owner stays accountable)."""
    return MembersChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=_("Members who help; the owner stays accountable."),
    )


class InviteForm(UswdsFormMixin, TenantUnitChoiceMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Home unit")
    )


class RoleForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class AcceptInvitationForm(UswdsFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validators.validate_plain_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", gettext("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UnitForm(UswdsFormMixin, forms.ModelForm):
    # Declared explicitly: a generated field would query every agency's units at import.
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Part of"),
        help_text=_("Leave empty for a top-level unit."),
    )

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "order"]
        labels = {"order": _("Sort order")}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        parents = Unit.objects.filter(organization=organization)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def validate_unique(self):
        # The organization is not a form field; check the per-parent name rule ourselves.
        super().validate_unique()
        name, parent = self.cleaned_data.get("name"), self.cleaned_data.get("parent")
        if name:
            clash = Unit.objects.filter(
                organization=self.instance.organization, parent=parent, name__iexact=name
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", gettext("Another unit with this name already sits there."))


class UnitGrantForm(UswdsFormMixin, forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label=_("Member"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.active()
            .filter(organization=organization, role=Role.CONTRIBUTOR)
            .select_related("user")
            .order_by("user__email")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.display_name} ({m.user.email})"
        )


class OrganizationSettingsForm(UswdsFormMixin, forms.ModelForm):
    """The agency's settings. Its fiscal year's first month is fixed once a strategic plan
    or an OKR objective is laid out on it (the field is shown, disabled, with the reason;
    a posted value is ignored)."""

    embed_origins = forms.CharField(
        label=_("Sites that may embed the public scorecard"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One https origin per line, such as https://www.example.gov (no path). "
            "Only these sites may show the public pages in a frame; empty: none may."
        ),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "timezone",
            "fiscal_year_start_month",
            "fiscal_year_label_style",
            "language",
            "date_style",
            "logo",
            "embed_origins",
        ]
        labels = {"fiscal_year_start_month": _("Fiscal year starts in")}
        help_texts = {
            "logo": validators.LOGO_HELP,
            "timezone": _("An IANA time zone name, such as America/Chicago."),
            "fiscal_year_start_month": _(
                "The quarters and fiscal years of plans and OKRs follow "
                "it; it is fixed once the agency has a strategic plan or an OKR objective."
            ),
        }

    def __init__(self, *args, **kwargs):
        from strategyhub.organizations import fiscal_calendar_in_use

        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["embed_origins"] = "\n".join(self.instance.embed_origins or [])
        # A post without it (an older client, a script) keeps the agency's label style.
        self.fields["fiscal_year_label_style"].required = False
        self.fields["date_style"].required = False
        if self.instance.pk and fiscal_calendar_in_use(self.instance):
            field = self.fields["fiscal_year_start_month"]
            field.disabled = True
            field.help_text = gettext(
                "Fixed: the agency's strategic plan and OKR quarters are laid out on this "
                "fiscal year, and moving its start would shift every quarter and year under "
                "the data already entered."
            )

    def clean_embed_origins(self) -> list[str]:
        return validators.parse_origins(self.cleaned_data.get("embed_origins") or "")

    def clean_logo(self):
        """Only a real PNG, JPEG or WebP (decoded by Pillow), whatever its name says."""
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload (not the stored file)
            content_type = validators.validate_logo_image(logo)
            # Named by what it is, so it is served with the right type whatever it was called.
            logo.name = "logo." + content_type.split("/")[1].replace("jpeg", "jpg")
            logo.content_type = content_type
        return logo

    def clean_date_style(self) -> str:
        return self.cleaned_data.get("date_style") or self.instance.date_style

    def clean_language(self) -> str:
        # Empty is a choice (each browser decides); a post without the field keeps it.
        if "language" not in self.data:
            return self.instance.language
        return self.cleaned_data.get("language") or ""

    def clean_fiscal_year_label_style(self) -> str:
        return self.cleaned_data.get("fiscal_year_label_style") or (
            self.instance.fiscal_year_label_style
        )
