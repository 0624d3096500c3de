"""Members page, invitations (expired, reused, another email, existing user) and the rules
that protect an agency from losing its last admin."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from strategyhub.members import MemberError, accept_invitation, change_role, deactivate_member
from strategyhub.models import Invitation, Membership, User
from tests.factories import InvitationFactory, UserFactory


def _invite(client, organization, email="new.person@example.org", role="contributor", **extra):
    client.force_login(organization.admin)
    return client.post(
        reverse("agency:invite", args=[organization.org.slug]),
        {"email": email, "role": role, **extra},
    )


def _link_from_last_email() -> str:
    match = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return urlparse(match.group(0)).path


def test_invite_sends_an_email_with_a_working_link(
    client, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, org_a, unit=org_a.team.pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Agency Alpha" in message.subject
    assert message.alternatives and "Accept the invitation" in message.alternatives[0][0]

    client.logout()
    path = _link_from_last_email()
    page = client.get(path)
    assert page.status_code == 200
    assert b"Create account and join" in page.content
    response = client.post(
        path,
        {
            "full_name": "New Person",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agency:dashboard", args=["alpha"])
    user = User.objects.get(email="new.person@example.org")
    with scope(organization=org_a.org):
        membership = Membership.objects.get(user=user)
    assert membership.role == "contributor"
    assert membership.unit_id == org_a.team.pk
    # Signed in as the new account.
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 200


def test_invite_refuses_an_existing_member(client, org_a):
    response = _invite(client, org_a, email="EDITOR@alpha.test")
    assert response.status_code == 400
    assert b"already a member" in response.content


def test_invite_form_errors_show_next_to_the_field(client, org_a):
    response = _invite(client, org_a, email="not-an-email")
    assert response.status_code == 400
    assert b'id="id_email_error"' in response.content
    assert b'aria-invalid="true"' in response.content


def test_invite_offers_and_accepts_only_this_agencys_units(client, org_a, org_b):
    client.force_login(org_a.admin)
    page = client.get(reverse("agency:members", args=["alpha"]))
    assert org_a.team.name.encode() in page.content
    assert org_b.team.name.encode() not in page.content
    response = _invite(client, org_a, unit=org_b.team.pk)
    assert response.status_code == 400
    with scope(organization=org_a.org):
        assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(client, org_a):
    _invite(client, org_a)
    _invite(client, org_a, role="viewer")
    with scope(organization=org_a.org):
        states = sorted(i.state for i in Invitation.objects.all())
    assert states == ["pending", "revoked"]


def test_expired_link_is_refused(client, org_a):
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, email="late@example.org")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    response = client.get(reverse("accept_invitation", args=[invitation.token]))
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email="late@example.org").exists()


def test_link_older_than_the_signature_age_is_refused(client, org_a, settings):
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org)
    token = invitation.token
    settings.INVITATION_MAX_AGE_DAYS = 0  # every signature is now too old
    response = client.get(reverse("accept_invitation", args=[token]))
    assert response.status_code == 400
    assert b"expired" in response.content


def test_forged_link_is_refused(client, org_a):
    forged = signing.dumps({"invitation": 1}, salt="some-other-salt")
    response = client.get(reverse("accept_invitation", args=[forged]))
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_reused_link_is_refused(client, org_a):
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, email="once@example.org")
    url = reverse("accept_invitation", args=[invitation.token])
    data = {
        "full_name": "Once",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    assert client.post(url, data).status_code == 302
    client.logout()
    response = client.post(url, data)
    assert response.status_code == 410
    assert b"already been used" in response.content
    with scope(organization=org_a.org):
        assert Membership.objects.filter(user__email="once@example.org").count() == 1


def test_the_service_refuses_a_second_acceptance(org_a):
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, email="twice@example.org")
    with scope(organization=org_a.org):
        accept_invitation(invitation, full_name="T", password="a-long-pass-phrase")
        stale_copy = Invitation.objects.get(pk=invitation.pk)
        stale_copy.accepted_at = None  # as if a second request had read it before the first
        with pytest.raises(MemberError):
            accept_invitation(stale_copy, user=User.objects.get(email="twice@example.org"))


def test_link_for_another_email_is_refused(client, org_a, org_b):
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, email="someone@example.org")
    client.force_login(org_b.viewer)
    url = reverse("accept_invitation", args=[invitation.token])
    assert client.get(url).status_code == 403
    response = client.post(url)
    assert response.status_code == 403
    with scopes_disabled():
        assert not Membership.objects.filter(organization=org_a.org, user=org_b.viewer).exists()
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_invite_to_an_existing_user_links_the_account(client, org_a, org_b):
    person = org_b.viewer
    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, email=person.email, role="editor")
    url = reverse("accept_invitation", args=[invitation.token])
    anonymous_page = client.get(url)
    assert b"Sign in to accept" in anonymous_page.content
    client.force_login(person)
    assert client.post(url).status_code == 302
    assert User.objects.filter(email=person.email).count() == 1
    with scope(organization=org_a.org):
        assert Membership.objects.get(user=person).role == "editor"
    with scope(organization=org_b.org):
        assert Membership.objects.get(user=person).role == "viewer"


def test_change_role_inline_with_htmx_returns_the_row(client, org_a):
    client.force_login(org_a.admin)
    with scope(organization=org_a.org):
        membership = Membership.objects.get(user=org_a.viewer)
    response = client.post(
        reverse("agency:member_role", args=["alpha", membership.pk]),
        {"role": "editor"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="member-{membership.pk}">')
    assert '<option value="editor" selected>' in body
    with scope(organization=org_a.org):
        assert Membership.objects.get(pk=membership.pk).role == "editor"


def test_the_last_admin_cannot_be_demoted_or_deactivated(client, org_a):
    with scope(organization=org_a.org):
        admin = Membership.objects.get(user=org_a.admin)
        with pytest.raises(MemberError):
            change_role(admin, "viewer")
        with pytest.raises(MemberError):
            deactivate_member(admin, by=org_a.editor)
        assert Membership.objects.get(pk=admin.pk).role == "admin"


def test_deactivation_keeps_the_membership_and_blocks_access(client, org_a):
    client.force_login(org_a.admin)
    with scope(organization=org_a.org):
        membership = Membership.objects.get(user=org_a.contributor)
    response = client.post(
        reverse("agency:member_active", args=["alpha", membership.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    with scope(organization=org_a.org):
        membership.refresh_from_db()
    assert membership.is_active is False
    assert membership.deactivated_by == org_a.admin
    assert User.objects.filter(pk=org_a.contributor.pk, is_active=True).exists()
    client.force_login(org_a.contributor)
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 404
    # Reactivation restores access with the same role.
    client.force_login(org_a.admin)
    client.post(reverse("agency:member_active", args=["alpha", membership.pk]), {"active": "1"})
    client.force_login(org_a.contributor)
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 200


def test_an_admin_cannot_deactivate_themselves(client, org_a):
    client.force_login(org_a.admin)
    with scope(organization=org_a.org):
        own = Membership.objects.get(user=org_a.admin)
    client.post(reverse("agency:member_active", args=["alpha", own.pk]), {"active": "0"})
    with scope(organization=org_a.org):
        assert Membership.objects.get(pk=own.pk).is_active


def test_members_page_query_count_does_not_grow_with_members(
    client, org_a, django_assert_max_num_queries
):
    with scopes_disabled():
        for _ in range(40):
            Membership.objects.create(organization=org_a.org, user=UserFactory(), unit=org_a.team)
            InvitationFactory(organization=org_a.org)
    client.force_login(org_a.admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agency:members", args=["alpha"]))
    assert response.status_code == 200
