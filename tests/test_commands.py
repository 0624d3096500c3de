"""seed_demo and create_agency."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_scopes import scope

from strategyhub.models import Invitation, Membership, Organization, Unit, User


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--allow-known-passwords", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_riverton_with_a_login_per_role(db, client):
    output = _seed()
    organization = Organization.objects.get(slug="riverton")
    assert organization.name == "City of Riverton"
    assert organization.fiscal_year_start_month == 7
    assert organization.perspective_preset == "government5"
    with scope(organization=organization):
        police = Unit.objects.get(name="Police Department", parent=None)
        assert Unit.objects.filter(parent=police).count() == 2
        roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {
        "admin@riverton.example": "admin",
        "editor@riverton.example": "editor",
        "contributor@riverton.example": "contributor",
        "viewer@riverton.example": "viewer",
    }
    for email in roles:
        assert email in output
    assert "strategyhub-demo" in output
    assert client.login(username="admin@riverton.example", password="strategyhub-demo")


def test_seed_demo_is_idempotent(db):
    _seed()
    _seed()
    assert Organization.objects.filter(slug="riverton").count() == 1
    organization = Organization.objects.get(slug="riverton")
    with scope(organization=organization):
        assert Unit.objects.count() == 3
        assert Membership.objects.count() == 4
    assert User.objects.count() == 4


def test_a_second_slug_is_a_separate_agency(db, client):
    _seed()
    _seed("--slug", "lakeside", "--name", "Lakeside County", "--password", "another-demo-pass")
    lakeside = Organization.objects.get(slug="lakeside")
    with scope(organization=lakeside):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert emails == {f"{r}@lakeside.example" for r in ("admin", "editor", "contributor", "viewer")}
    client.login(username="admin@lakeside.example", password="another-demo-pass")
    assert client.get("/o/riverton/").status_code == 404
    assert client.get("/o/lakeside/").status_code == 200


def test_create_agency_with_a_new_admin_sends_an_invitation(db, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_agency",
            "--name",
            "Town of Oak",
            "--slug",
            "oak",
            "--timezone",
            "America/Denver",
            "--fiscal-year-start-month",
            "10",
            "--preset",
            "classic4",
            "--admin-email",
            "Chief@Oak.gov",
            stdout=out,
        )
    organization = Organization.objects.get(slug="oak")
    assert (
        organization.timezone,
        organization.fiscal_year_start_month,
        organization.perspective_preset,
    ) == (
        "America/Denver",
        10,
        "classic4",
    )
    with scope(organization=organization):
        invitation = Invitation.objects.get()
    assert invitation.email == "chief@oak.gov" and invitation.role == "admin"
    assert mail.outbox[0].to == ["chief@oak.gov"]
    assert re.search(r"/invitations/\S+/", out.getvalue())


def test_create_agency_links_an_existing_account(db):
    User.objects.create_user("boss@example.org", "a-long-pass-phrase")
    call_command(
        "create_agency",
        "--name",
        "Elm",
        "--slug",
        "elm",
        "--admin-email",
        "boss@example.org",
        stdout=StringIO(),
    )
    with scope(organization=Organization.objects.get(slug="elm")):
        assert Membership.objects.get().role == "admin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "X", "--slug", "Not A Slug"], "slug"),
        (["--name", "X", "--slug", "x", "--timezone", "Nowhere/City"], "timezone"),
        (
            ["--name", "X", "--slug", "x", "--fiscal-year-start-month", "13"],
            "fiscal_year_start_month",
        ),
    ],
)
def test_create_agency_refuses_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_agency", *args, stdout=StringIO())
    assert not Organization.objects.exists()


def test_create_agency_refuses_a_taken_slug(db):
    _seed()
    with pytest.raises(CommandError, match="slug"):
        call_command("create_agency", "--name", "Other", "--slug", "riverton", stdout=StringIO())


def test_seed_demo_refuses_known_passwords_unless_debug_or_asked(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-known-passwords"):
        call_command("seed_demo", stdout=StringIO())
    assert not Organization.objects.filter(slug="riverton").exists()
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Organization.objects.filter(slug="riverton").exists()
