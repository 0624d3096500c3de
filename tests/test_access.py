"""Every staff view: anonymous → login, other agency → 404, too-low role → 403, happy path.

The table below is checked against the URLconf, so a new staff view without an entry here
fails ``test_every_staff_view_is_listed``.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse
from django_scopes import scope

from strategyhub.models import Membership
from strategyhub.roles import Role

ROLE_ORDER = [Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN]


@dataclass
class StaffView:
    name: str
    minimum: str  # lowest role allowed
    method: str = "get"
    obj: str | None = None  # which object id the URL takes
    data: dict | None = None
    ok: tuple[int, ...] = (200,)


STAFF_VIEWS = [
    StaffView("dashboard", Role.VIEWER),
    StaffView("units", Role.VIEWER),
    StaffView("members", Role.ADMIN),
    StaffView(
        "invite", Role.ADMIN, "post", data={"email": "new@x.test", "role": "viewer"}, ok=(302,)
    ),
    StaffView(
        "member_role", Role.ADMIN, "post", obj="membership", data={"role": "editor"}, ok=(302,)
    ),
    StaffView(
        "member_active", Role.ADMIN, "post", obj="membership", data={"active": "0"}, ok=(302,)
    ),
    StaffView("invitation_revoke", Role.ADMIN, "post", obj="invitation", ok=(302,)),
    StaffView("unit_new", Role.ADMIN),
    StaffView("unit_edit", Role.ADMIN, obj="unit"),
    StaffView("unit_delete", Role.ADMIN, "post", obj="empty_unit", ok=(302,)),
    StaffView("unit_grant", Role.ADMIN, "post", obj="unit", ok=(302,)),
    StaffView("settings", Role.ADMIN),
]


def _objects(organization):
    from tests.factories import InvitationFactory, UnitFactory

    with scope(organization=organization.org):
        return {
            "membership": Membership.objects.get(user=organization.viewer).pk,
            "invitation": InvitationFactory(organization=organization.org).pk,
            "unit": organization.team.pk,
            "empty_unit": UnitFactory(organization=organization.org, name="Empty").pk,
        }


def _url(view: StaffView, organization, objects) -> str:
    kwargs = {"org_slug": organization.org.slug}
    if view.obj:
        key = {
            "membership": "membership_id",
            "invitation": "invitation_id",
            "unit": "unit_id",
            "empty_unit": "unit_id",
        }[view.obj]
        kwargs[key] = objects[view.obj]
    return reverse(f"agency:{view.name}", kwargs=kwargs)


def test_every_staff_view_is_listed():
    resolver = get_resolver()
    staff_names = {
        name for name in resolver.namespace_dict["agency"][1].reverse_dict if isinstance(name, str)
    }
    assert staff_names == {view.name for view in STAFF_VIEWS}


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=lambda v: v.name)
def test_anonymous_is_sent_to_login(client, org_a, view):
    url = _url(view, org_a, _objects(org_a))
    response = getattr(client, view.method)(url, view.data or {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=lambda v: v.name)
def test_member_of_another_agency_gets_404(client, org_a, org_b, view):
    url = _url(view, org_a, _objects(org_a))
    client.force_login(org_b.admin)
    response = getattr(client, view.method)(url, view.data or {})
    assert response.status_code == 404
    assert b"Agency Alpha" not in response.content


@pytest.mark.parametrize("view", [v for v in STAFF_VIEWS if v.obj], ids=lambda v: v.name)
def test_other_agencys_object_ids_give_404(client, org_a, org_b, view):
    """An admin of B using B's slug with A's object ids finds nothing."""
    url = _url(view, org_b, _objects(org_a))
    client.force_login(org_b.admin)
    response = getattr(client, view.method)(url, view.data or {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "view", [v for v in STAFF_VIEWS if v.minimum != Role.VIEWER], ids=lambda v: v.name
)
def test_too_low_role_is_forbidden(client, org_a, view):
    allowed_from = ROLE_ORDER.index(view.minimum)
    url = _url(view, org_a, _objects(org_a))
    for role in ROLE_ORDER[:allowed_from]:
        client.force_login(org_a.user(role))
        response = getattr(client, view.method)(url, view.data or {})
        assert response.status_code == 403, role


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=lambda v: v.name)
def test_happy_path(client, org_a, view):
    url = _url(view, org_a, _objects(org_a))
    client.force_login(org_a.user(view.minimum))
    response = getattr(client, view.method)(url, view.data or {})
    assert response.status_code in view.ok


def test_deactivated_member_gets_404(client, org_a):
    with scope(organization=org_a.org):
        Membership.objects.filter(user=org_a.editor).update(is_active=False)
    client.force_login(org_a.editor)
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 404


def test_unknown_agency_and_foreign_agency_look_the_same(client, org_a, org_b):
    client.force_login(org_b.viewer)
    foreign = client.get(reverse("agency:dashboard", args=["alpha"]))
    unknown = client.get(reverse("agency:dashboard", args=["no-such-agency"]))
    assert foreign.status_code == unknown.status_code == 404

    def without_csrf(content: bytes) -> bytes:
        content = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)

    assert without_csrf(foreign.content) == without_csrf(unknown.content)


def test_anonymous_on_unknown_agency_is_sent_to_login(client, db):
    response = client.get(reverse("agency:dashboard", args=["no-such-agency"]))
    assert response.status_code == 302
