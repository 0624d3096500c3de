"""Sign-in, sign-out, password reset, profile, home redirect and the agency chooser."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from strategyhub.middleware import SESSION_LAST_ORGANIZATION
from tests.factories import MembershipFactory


def test_login_with_email_and_password(client, org_a, password):
    response = client.post(
        reverse("account_login"), {"login": "ADMIN@alpha.test", "password": password}
    )
    assert response.status_code == 302
    follow = client.get(response["Location"], follow=True)
    assert follow.redirect_chain[-1][0] == reverse("agency:dashboard", args=["alpha"])


def test_login_with_a_wrong_password_says_so(client, org_a):
    response = client.post(
        reverse("account_login"), {"login": "admin@alpha.test", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"do not match an active account" in response.content


def test_logout_is_a_post(client, org_a):
    client.force_login(org_a.viewer)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 302


def test_password_reset_by_email(client, org_a):
    response = client.post(reverse("account_reset_password"), {"email": "viewer@alpha.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your StrategyHub password"
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_url  # the key leaves the address bar
    done = client.post(
        set_url, {"password1": "another-long-phrase", "password2": "another-long-phrase"}
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("account_login"),
        {"login": "viewer@alpha.test", "password": "another-long-phrase"},
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_edits_the_name(client, org_a):
    client.force_login(org_a.viewer)
    page = client.get(reverse("profile"))
    assert b"Agency Alpha" in page.content
    client.post(reverse("profile"), {"full_name": "Valerie Viewer"})
    org_a.viewer.refresh_from_db()
    assert org_a.viewer.full_name == "Valerie Viewer"


def test_profile_requires_login(client, db):
    assert client.get(reverse("profile")).status_code == 302


def test_home_goes_to_the_only_agency(client, org_a):
    client.force_login(org_a.viewer)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("agency:dashboard", args=["alpha"])


def test_home_goes_to_the_chooser_then_to_the_last_agency(client, org_a, org_b):
    MembershipFactory(organization=org_b.org, user=org_a.viewer)
    client.force_login(org_a.viewer)
    assert client.get(reverse("home"))["Location"] == reverse("agencies")
    chooser = client.get(reverse("agencies"))
    assert b"Agency Alpha" in chooser.content and b"Agency Beta" in chooser.content
    client.get(reverse("agency:dashboard", args=["beta"]))
    assert client.session[SESSION_LAST_ORGANIZATION] == "beta"
    assert client.session["strategyhub.last_agency"] == "beta"  # the stored key is unchanged
    assert client.get(reverse("home"))["Location"] == reverse("agency:dashboard", args=["beta"])


def test_switcher_lists_only_my_agencies(client, org_a, org_b):
    MembershipFactory(organization=org_b.org, user=org_a.viewer)
    client.force_login(org_a.viewer)
    page = client.get(reverse("agency:dashboard", args=["alpha"]))
    assert b"Switch to Agency Beta" in page.content
    assert reverse("agency:dashboard", args=["beta"]).encode() in page.content
    client.force_login(org_a.editor)
    page = client.get(reverse("agency:dashboard", args=["alpha"]))
    assert b"Switch to" not in page.content
    assert b"Agency Beta" not in page.content


def test_dashboard_shows_the_fiscal_calendar_in_the_agencys_terms(client, org_a):
    client.force_login(org_a.viewer)
    page = client.get(reverse("agency:dashboard", args=["alpha"])).content.decode()
    assert "FY 20" in page
    assert "July 1" in page
    assert "You are <strong>Viewer</strong>" in page


def test_settings_change_name_and_refuse_a_bad_timezone(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    bad = client.post(
        url, {"name": "Alpha City", "timezone": "Mars/Olympus", "fiscal_year_start_month": 10}
    )
    assert bad.status_code == 400
    assert b"not a known time zone" in bad.content
    org_a.org.refresh_from_db()
    assert org_a.org.name == "Agency Alpha"
    ok = client.post(
        url, {"name": "Alpha City", "timezone": "America/New_York", "fiscal_year_start_month": 10}
    )
    assert ok.status_code == 302
    org_a.org.refresh_from_db()
    assert (org_a.org.name, org_a.org.fiscal_year_start_month) == ("Alpha City", 10)


def test_moving_the_fiscal_year_rebuilds_the_empty_quarters(client, org_a):
    from django_scopes import scopes_disabled

    from okrs.cycles import ensure_current_and_next
    from okrs.models import Cycle

    with scopes_disabled():
        ensure_current_and_next(org_a.org)
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    data = {"name": "Agency Alpha", "timezone": "UTC", "fiscal_year_start_month": 2}
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        quarters = Cycle.objects.filter(organization=org_a.org, kind="quarter")
        assert quarters.exists()
        assert {cycle.start.month for cycle in quarters} <= {2, 5, 8, 11}
        today = org_a.org.today()
        assert quarters.filter(start__lte=today, end__gte=today, status="active").count() == 1


@pytest.mark.parametrize("laid_out", ["plan", "okr_objective"])
def test_the_fiscal_year_is_fixed_once_data_is_laid_out_on_it(client, org_a, laid_out, request):
    from django_scopes import scopes_disabled

    from okrs.cycles import ensure_current_and_next
    from okrs.models import Cycle, OkrObjective

    if laid_out == "plan":
        request.getfixturevalue("plan_a")
    else:
        with scopes_disabled():
            ensure_current_and_next(org_a.org)
            OkrObjective.objects.create(
                organization=org_a.org,
                cycle=Cycle.objects.filter(kind="quarter").first(),
                level="agency",
                owner=org_a.editor,
                title="Faster permits",
            )
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    page = client.get(url).content.decode()
    assert re.search(r'<select name="fiscal_year_start_month"[^>]*disabled', page)
    assert "Fixed: the agency's strategic plan and OKR quarters" in page
    data = {"name": "Alpha City", "timezone": "UTC", "fiscal_year_start_month": 1}
    assert client.post(url, data).status_code == 302  # the rest of the settings still save
    org_a.org.refresh_from_db()
    assert (org_a.org.name, org_a.org.fiscal_year_start_month) == ("Alpha City", 7)


def test_error_pages_are_styled(client, org_a, settings):
    client.force_login(org_a.viewer)
    forbidden = client.get(reverse("agency:members", args=["alpha"]))
    assert forbidden.status_code == 403
    assert b"Not allowed" in forbidden.content and b"usa-skipnav" in forbidden.content
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert b"Page not found" in missing.content


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and 'lang="en' in html  # en or en-us
