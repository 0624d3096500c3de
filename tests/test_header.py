"""The staff header is memoised per set of inputs (strategyhub/ui/header.py): what differs
between people, pages and agencies must still differ, and each session keeps its own CSRF
token in the sign-out form."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.models import Organization
from tests.factories import MembershipFactory


def _header(body: str) -> str:
    return body.split('<header class="sh-header">')[1].split("</header>")[0]


def test_each_session_gets_its_own_token_in_the_sign_out_form(client, django_user_model, org_a):
    from django.test import Client

    tokens = []
    for user in (org_a.admin, org_a.viewer):
        browser = Client()
        browser.force_login(user)
        body = browser.get(reverse("agency:dashboard", args=["alpha"])).content.decode()
        form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _header(body)).group(1)
        htmx = re.search(r'"X-CSRFToken": "([^"]+)"', body).group(1)
        assert form == htmx and "sh-header-csrf-token" not in body
        tokens.append(form)
    assert tokens[0] != tokens[1]


def test_the_menu_follows_the_role_the_page_and_the_agency(client, org_a, org_b):
    plan = reverse("scorecards:plan", args=["alpha"])
    client.force_login(org_a.admin)
    admin = _header(client.get(plan).content.decode())
    client.force_login(org_a.viewer)
    viewer = _header(client.get(plan).content.decode())
    assert reverse("agency:members", args=["alpha"]) in admin
    assert reverse("agency:members", args=["alpha"]) not in viewer
    assert "Viewer of Agency Alpha"[:17] in viewer and "Admin of Agency Alpha"[:17] in admin
    # The current page is marked; another page marks its own link.
    assert re.search(r'href="[^"]*/plan/" aria-current="page"', viewer)
    ownership = _header(client.get(reverse("ownership:page", args=["alpha"])).content.decode())
    assert not re.search(r'href="[^"]*/plan/" aria-current="page"', ownership)
    assert re.search(r'href="[^"]*/ownership/" aria-current="page"', ownership)
    # A renamed agency and a second membership show at once (they are part of the key).
    with scopes_disabled():
        Organization.objects.filter(pk=org_a.org.pk).update(name="Agency Alpha Renamed")
        MembershipFactory(organization=org_b.org, user=org_a.viewer, role="viewer")
    renamed = _header(client.get(plan).content.decode())
    assert "Agency Alpha Renamed" in renamed
    assert "Switch to Agency Beta" in renamed
    assert reverse("agency:dashboard", args=["beta"]) in renamed
