"""Tenant isolation by construction: scoped managers, fail-closed queries, no cross links."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import ScopeError, scope, scopes_disabled

from strategyhub.models import Membership, Organization, TenantModel, Unit
from tests.factories import MembershipFactory, UnitFactory, UserFactory

# Rows of a person, not of an agency, that merely name one: never listed per agency, read only
# by their person or by session key. Each with the reason.
PERSONAL_ROWS = {
    # A signed-in session of a person; ``via`` is the agency whose identity provider signed
    # it in, or none for a password. Read by session key and by user (identity/ended.py).
    "identity.SignedInSession",
}


def _tenant_models():
    """Every model with a foreign key to Organization, from all apps (but PERSONAL_ROWS).

    django-simple-history's audit tables are left out: they are read only through a scoped
    row's ``.history`` (filtered by that row's id), never queried on their own.
    """
    found = []
    for model in apps.get_models():
        if hasattr(model, "instance_type"):  # a simple-history historical model
            continue
        if model._meta.label in PERSONAL_ROWS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Organization:
                found.append(model)
                break
    return found


def test_there_are_tenant_models_to_check():
    names = {m.__name__ for m in _tenant_models()}
    assert {"Unit", "Membership", "Invitation", "Measure", "MeasureValue"} <= names


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m._meta.label)
def test_every_tenant_model_is_scoped_and_fails_closed(db, model):
    assert issubclass(model, TenantModel), f"{model._meta.label} must derive from TenantModel"
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()


def test_scope_shows_only_that_agencys_rows(org_a, org_b):
    with scope(organization=org_a.org):
        assert set(Unit.objects.values_list("organization_id", flat=True)) == {org_a.org.pk}
        assert Membership.objects.count() == 4
    with scope(organization=org_b.org):
        assert not Unit.objects.filter(pk=org_a.unit.pk).exists()


def test_reverse_relations_are_scoped_too(org_a, org_b):
    """user.memberships goes through the scoped manager: no scope → error."""
    with pytest.raises(ScopeError):
        list(org_a.admin.memberships.all())
    with scope(organization=org_b.org):
        assert list(org_a.admin.memberships.all()) == []


def test_model_layer_refuses_a_link_to_another_agency(org_a, org_b):
    with scopes_disabled():
        membership = Membership.objects.get(user=org_a.viewer)
        membership.unit = org_b.unit
        with pytest.raises(ValidationError) as error:
            membership.save()
        assert "unit" in error.value.message_dict
        membership.refresh_from_db()
        assert membership.unit is None


def test_full_clean_reports_the_cross_agency_link_on_the_field(org_a, org_b):
    unit = Unit(organization=org_a.org, name="Rogue", parent=org_b.unit)
    with scopes_disabled(), pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "parent" in error.value.message_dict


def test_unit_cannot_be_moved_inside_its_own_subtree(org_a):
    with scopes_disabled():
        grandchild = UnitFactory(organization=org_a.org, parent=org_a.team)
        department = org_a.unit
        department.parent = grandchild
        with pytest.raises(ValidationError):
            department.full_clean()


def test_same_user_in_two_agencies_sees_each_separately(org_a, org_b):
    person = UserFactory()
    with scopes_disabled():
        MembershipFactory(organization=org_a.org, user=person, role="editor")
        MembershipFactory(organization=org_b.org, user=person, role="viewer")
    from strategyhub.models import organizations_of

    roles = {m.organization.slug: m.role for m in organizations_of(person)}
    assert roles == {"alpha": "editor", "beta": "viewer"}
