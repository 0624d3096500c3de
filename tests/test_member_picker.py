"""The core member picker (strategyhub.forms): the same choices and labels in every app."""

from django_scopes import scope

from strategyhub.forms import (
    MemberChoiceField,
    MembersChoiceField,
    collaborators_field,
    member_choices,
    member_label,
)
from strategyhub.models import Membership, User


def test_member_choices_are_the_active_members_of_the_agency_only(org_a, org_b):
    with scope(organization=org_a.org):
        Membership.objects.filter(user=org_a.viewer).update(is_active=False)
        choices = list(member_choices(org_a.org))
    assert org_a.admin in choices and org_a.viewer not in choices
    assert not set(choices) & {org_b.admin, org_b.editor}
    assert choices == sorted(choices, key=lambda u: (u.full_name, u.email))


def test_a_member_is_listed_by_name_and_email_or_email_alone(db):
    named = User(email="ana@x.test", full_name="Ana Ruiz")
    assert member_label(named) == "Ana Ruiz (ana@x.test)"
    assert member_label(User(email="bo@x.test")) == "bo@x.test"
    field = MemberChoiceField(queryset=User.objects.none())
    assert field.label_from_instance(named) == "Ana Ruiz (ana@x.test)"
    many = collaborators_field()
    assert isinstance(many, MembersChoiceField) and not many.required
    assert many.label_from_instance(named) == "Ana Ruiz (ana@x.test)"
