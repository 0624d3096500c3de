"""The defects the attack run found (issue 18, part 4), each pinned by a test: odd ids and
double submits answer with a form error or 404 (never 500), names with control characters
are refused, one-click unsubscribe works without a CSRF token, foreign notifications 404."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from ownership.emails import unsubscribe_token
from ownership.models import Alert, NotificationPreference
from scorecards.models import Theme
from strategyhub import emails
from strategyhub.members import MemberError, accept_invitation, invite_member
from strategyhub.models import Invitation, Membership, Organization, Unit
from strategyhub.unique_save import save_unique
from strategyhub.validators import validate_plain_name

# --- 500s on odd input and double submits ---------------------------------------------------


def test_a_non_numeric_grant_id_is_not_found(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:unit_grant", args=["alpha", org_a.unit.pk])
    for forged in ("abc", "1 OR 1=1", "-1", "١"):
        assert client.post(url, {"revoke": forged}).status_code == 404


def _skip_form_check(monkeypatch, form_class):
    """The race of a double click: both requests pass the form's own uniqueness check
    before either is committed; the database's unique constraint decides."""
    monkeypatch.setattr(form_class, "validate_unique", lambda self: None)


def test_a_double_clicked_unit_create_is_a_form_error(client, org_a, monkeypatch):
    from strategyhub.forms import UnitForm

    client.force_login(org_a.admin)
    url = reverse("agency:unit_new", args=["alpha"])
    data = {"name": "Dispatch", "kind": "team", "order": 0}
    assert client.post(url, data).status_code == 302
    _skip_form_check(monkeypatch, UnitForm)
    again = client.post(url, data)
    assert again.status_code == 400
    assert "Another unit with this name already sits there." in again.content.decode()
    with scope(organization=org_a.org):
        assert Unit.objects.filter(name="Dispatch").count() == 1


def test_a_double_clicked_theme_create_is_a_form_error(client, org_a, plan_a, monkeypatch):
    from scorecards.forms import ThemeForm

    client.force_login(org_a.editor)
    url = reverse("scorecards:theme_new", args=["alpha", plan_a.pk])
    data = {"name": "Safe Communities", "description": "", "order": 0}
    assert client.post(url, data).status_code == 302
    _skip_form_check(monkeypatch, ThemeForm)
    again = client.post(url, data)
    assert again.status_code == 400
    assert "This plan already has a theme of that name." in again.content.decode()
    with scope(organization=org_a.org):
        assert Theme.objects.filter(name="Safe Communities").count() == 1


def test_save_unique_leaves_the_transaction_usable(org_a):
    from strategyhub.forms import UnitForm

    with scope(organization=org_a.org):
        form = UnitForm(
            {"name": org_a.unit.name, "kind": "team", "order": 0}, organization=org_a.org
        )
        form.validate_unique = lambda: None
        assert form.is_valid()
        assert save_unique(form) is None and "name" in form.errors
        assert Unit.objects.count() == 2  # the connection still answers


@pytest.mark.django_db(transaction=True)
def test_one_invitation_accepted_twice_at_once_makes_one_account(org_a):
    with scope(organization=org_a.org):
        invitation = invite_member(org_a.org, "new.person@alpha.test", "viewer", org_a.admin)
    results = []
    barrier = threading.Barrier(2)

    def accept():
        try:
            barrier.wait()
            with scope(organization=org_a.org):
                fresh = Invitation.objects.get(pk=invitation.pk)
                accept_invitation(fresh, full_name="New Person", password="a-long-pass-phrase-1")
            results.append("ok")
        except MemberError:
            results.append("refused")
        except Exception as error:  # a 500 in the view
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert get_user_model().objects.filter(email="new.person@alpha.test").count() == 1
    with scopes_disabled():
        assert Membership.objects.filter(user__email="new.person@alpha.test").count() == 1


# --- Names with control characters ----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Alpha\nBcc: victim@example.org", "Alpha\r\nX: y", "Tab\there", "Nul\x00", "RTL\u202e"]
)
def test_control_characters_are_refused_in_names(name):
    with pytest.raises(validate_plain_name.__globals__["ValidationError"]):
        validate_plain_name(name)


def test_plain_names_pass():
    for name in (
        "City of Riverton",
        "Ciudad de Córdoba — Seguridad",
        "O'Brien & Sons",
        "👩‍💻 Team",
    ):
        validate_plain_name(name)


def test_the_settings_page_refuses_a_line_break_in_the_agency_name(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("agency:settings", args=["alpha"]),
        {
            "name": "Agency Alpha\nBcc: everyone@example.org",
            "timezone": "America/Chicago",
            "fiscal_year_start_month": 7,
        },
    )
    assert response.status_code == 400
    assert b"control characters" in response.content
    org_a.org.refresh_from_db()
    assert org_a.org.name == "Agency Alpha"


def test_profile_and_unit_names_refuse_them_too(client, org_a):
    client.force_login(org_a.admin)
    unit = client.post(
        reverse("agency:unit_new", args=["alpha"]),
        {"name": "Dispatch\r\nEvil", "kind": "team", "order": 0},
    )
    assert unit.status_code == 400
    profile = client.post(reverse("profile"), {"full_name": "Ann\nBcc: x@example.org"})
    assert profile.status_code in (200, 400)
    org_a.admin.refresh_from_db()
    assert "\n" not in org_a.admin.full_name


def test_an_invitation_from_an_agency_named_before_the_rule_still_sends(
    org_a, django_capture_on_commit_callbacks
):
    """A name stored before the rule (or a title in a subject) cannot break the header."""
    Organization.objects.filter(pk=org_a.org.pk).update(name="Agency\nAlpha")
    with scope(organization=org_a.org), django_capture_on_commit_callbacks(execute=True):
        invite_member(
            Organization.objects.get(pk=org_a.org.pk), "x@alpha.test", "viewer", org_a.admin
        )
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert emails.one_line("A\r\nB:\tc") == "A B: c"


# --- One-click unsubscribe and foreign notifications ----------------------------------------


def test_one_click_unsubscribe_needs_no_csrf_token(org_a):
    token = unsubscribe_token(org_a.org.pk, org_a.editor.pk, "measure_stale")
    browserless = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no token
    response = browserless.post(
        reverse("unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    with scope(organization=org_a.org):
        preference = NotificationPreference.objects.get(user=org_a.editor, kind="measure_stale")
        assert preference.delivery == "off"
    # A forged token is still refused.
    forged = browserless.post(reverse("unsubscribe", args=[token[:-2] + "xx"]))
    assert forged.status_code == 400


def _alert(org, user, n=1):
    with scopes_disabled():
        return Alert.objects.create(
            organization=org.org,
            recipient=user,
            kind="unowned",
            item_type="measure",
            item_id=n,
            item_label="Measure",
            url="/",
            message="No owner",
            period="2026-11",
            dedupe_key=f"{org.org.slug}-{user.pk}-{n}",
        )


def test_marking_a_foreign_notification_read_is_not_found(client, org_a, org_b):
    mine = _alert(org_a, org_a.editor, 1)
    colleague = _alert(org_a, org_a.viewer, 2)
    foreign = _alert(org_b, org_b.editor, 3)
    client.force_login(org_a.editor)
    for alert in (colleague, foreign):
        url = reverse("ownership:mark_read", args=["alpha", alert.pk])
        assert client.post(url).status_code == 404
    assert client.post(reverse("ownership:mark_read", args=["alpha", mine.pk])).status_code == 302
    with scopes_disabled():
        assert Alert.objects.get(pk=colleague.pk).read_at is None
        assert Alert.objects.get(pk=foreign.pk).read_at is None
        assert Alert.objects.get(pk=mine.pk).read_at is not None
