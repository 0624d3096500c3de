from django import forms
from django.utils.translation import gettext_lazy as _

from ownership.models import AlertKind, Delivery, OwnershipSettings
from strategyhub.forms import MemberChoiceField, member_choices
from strategyhub.models import Organization, User
from strategyhub.ui.forms import UswdsFormMixin


class TransferForm(UswdsFormMixin, forms.Form):
    from_user = MemberChoiceField(
        queryset=User.objects.none(),
        label=_("Everything owned by"),
        help_text=_("Deactivated members are listed too: this is how their items are handed on."),
    )
    to_user = MemberChoiceField(queryset=User.objects.none(), label=_("goes to"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = (
            User.objects.filter(memberships__organization=organization)
            .order_by("full_name", "email")
            .distinct()
        )
        self.fields["to_user"].queryset = member_choices(organization)


class OwnershipSettingsForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = OwnershipSettings
        fields = [
            "checkin_stale_days",
            "measure_grace_days",
            "checkin_weekday",
            "reminder_hour",
            "digest_hour",
            "weekly_unowned_digest",
            "digest_off_reason",
        ]
        widgets = {"digest_off_reason": forms.Textarea(attrs={"rows": 2})}


class PreferencesForm(UswdsFormMixin, forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in AlertKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Delivery.choices, initial=current[kind]
            )
