"""The role matrix, unit grants through django-guardian, and bulk checks on lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from guardian.shortcuts import assign_perm

from strategyhub.models import Membership, Unit
from strategyhub.permissions import ROLE_ACTIONS, UNIT_EDIT_PERMISSION, Action, MemberPermissions
from strategyhub.roles import Role
from tests.factories import UnitFactory

EXPECTED = {
    Role.VIEWER: {Action.VIEW},
    Role.CONTRIBUTOR: {Action.VIEW, Action.CHECK_IN_OWN},
    Role.EDITOR: {Action.VIEW, Action.CHECK_IN_OWN, Action.EDIT_PLAN, Action.EDIT_ALL_OKRS},
    Role.ADMIN: set(Action),
}


@pytest.mark.parametrize("role", Role.values)
def test_role_matrix(role):
    assert set(ROLE_ACTIONS[role]) == EXPECTED[role]
    perms = MemberPermissions(Membership(role=role))
    for action in Action:
        assert perms.can(action) == (action in EXPECTED[role])
        assert perms[action.value] == (action in EXPECTED[role])


def _perms(organization, role):
    with scope(organization=organization.org):
        return MemberPermissions(Membership.objects.get(user=organization.user(role)))


def test_contributor_edits_granted_unit_and_its_sub_units_only(org_a):
    with scopes_disabled():
        sub_team = UnitFactory(organization=org_a.org, parent=org_a.team, name="Sub")
        other = UnitFactory(organization=org_a.org, name="Other dept")
        assign_perm(UNIT_EDIT_PERMISSION, org_a.contributor, org_a.team)
    perms = _perms(org_a, Role.CONTRIBUTOR)
    with scope(organization=org_a.org):
        units = list(Unit.objects.all())
        editable = perms.editable_unit_ids(units)
    assert editable == {org_a.team.pk, sub_team.pk}
    assert other.pk not in editable and org_a.unit.pk not in editable


def test_viewer_with_a_grant_still_edits_nothing(org_a):
    with scopes_disabled():
        assign_perm(UNIT_EDIT_PERMISSION, org_a.viewer, org_a.team)
    perms = _perms(org_a, Role.VIEWER)
    with scope(organization=org_a.org):
        assert perms.editable_unit_ids(Unit.objects.all()) == set()


def test_editor_edits_every_unit_without_queries(org_a, django_assert_num_queries):
    perms = _perms(org_a, Role.EDITOR)
    with scope(organization=org_a.org):
        units = list(Unit.objects.all())
        with django_assert_num_queries(0):
            assert perms.editable_unit_ids(units) == {u.pk for u in units}


def test_superuser_flag_does_not_bypass_grants(org_a):
    """guardian's defaults return every row to a superuser; ours must not."""
    org_a.contributor.is_superuser = True
    org_a.contributor.save()
    perms = _perms(org_a, Role.CONTRIBUTOR)
    with scope(organization=org_a.org):
        assert perms.editable_unit_ids(Unit.objects.all()) == set()


def test_grant_in_another_agency_gives_nothing_here(org_a, org_b):
    with scopes_disabled():
        Membership.objects.create(
            organization=org_b.org, user=org_a.contributor, role="contributor"
        )
        assign_perm(UNIT_EDIT_PERMISSION, org_a.contributor, org_b.team)
    perms = _perms(org_a, Role.CONTRIBUTOR)
    with scope(organization=org_a.org):
        assert perms.editable_unit_ids(Unit.objects.all()) == set()


def _units_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agency:units", args=["alpha"]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.ADMIN])
def test_units_page_checks_grants_in_bulk(client, org_a, role):
    with scopes_disabled():
        assign_perm(UNIT_EDIT_PERMISSION, org_a.contributor, org_a.unit)
    client.force_login(org_a.user(role))
    _units_page_queries(client)  # warm per-process caches (content types)
    few = _units_page_queries(client)
    with scopes_disabled():
        for i in range(60):
            unit = UnitFactory(organization=org_a.org, parent=org_a.team, name=f"Team {i}")
            if i % 3 == 0:
                assign_perm(UNIT_EDIT_PERMISSION, org_a.contributor, unit)
    _units_page_queries(client)  # new units move the directory version: membership re-read
    many = _units_page_queries(client)
    assert many == few
    assert many <= 12


def test_admin_grants_and_revokes_unit_editing(client, org_a):
    client.force_login(org_a.admin)
    with scope(organization=org_a.org):
        contributor_membership = Membership.objects.get(user=org_a.contributor)
    url = reverse("agency:unit_grant", args=["alpha", org_a.team.pk])
    client.post(url, {"membership": contributor_membership.pk})
    assert org_a.contributor.has_perm(UNIT_EDIT_PERMISSION, org_a.team)
    page = client.get(reverse("agency:unit_edit", args=["alpha", org_a.team.pk]))
    assert org_a.contributor.display_name.encode() in page.content
    client.post(url, {"revoke": org_a.contributor.pk})
    from guardian.core import ObjectPermissionChecker

    assert not ObjectPermissionChecker(org_a.contributor).has_perm("edit_unit_items", org_a.team)


def test_grant_form_refuses_a_member_of_another_agency(client, org_a, org_b):
    client.force_login(org_a.admin)
    with scope(organization=org_b.org):
        foreign = Membership.objects.get(user=org_b.contributor)
    client.post(
        reverse("agency:unit_grant", args=["alpha", org_a.team.pk]), {"membership": foreign.pk}
    )
    assert not org_b.contributor.has_perm(UNIT_EDIT_PERMISSION, org_a.team)


def test_unit_form_validates_and_saves(client, org_a, org_b):
    client.force_login(org_a.admin)
    url = reverse("agency:unit_new", args=["alpha"])
    duplicate = client.post(
        url, {"name": org_a.team.name, "kind": "team", "parent": org_a.unit.pk, "order": 0}
    )
    assert duplicate.status_code == 400
    assert b"already sits there" in duplicate.content
    foreign_parent = client.post(
        url, {"name": "X", "kind": "team", "parent": org_b.unit.pk, "order": 0}
    )
    assert foreign_parent.status_code == 400
    ok = client.post(
        url, {"name": "Dispatch", "kind": "division", "parent": org_a.unit.pk, "order": 2}
    )
    assert ok.status_code == 302
    with scope(organization=org_a.org):
        assert Unit.objects.get(name="Dispatch").parent == org_a.unit


def test_deleting_a_unit_with_sub_units_is_refused(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("agency:unit_delete", args=["alpha", org_a.unit.pk]), follow=True
    )
    assert b"has sub-units" in response.content
    with scope(organization=org_a.org):
        assert Unit.objects.filter(pk=org_a.unit.pk).exists()
