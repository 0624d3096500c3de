"""Who may import: the access matrix (tests/test_access.py) lists the import's URLs; these
are its cases for them on their own, with an agency's run: anonymous → sign-in, another
agency's member → 404, another agency's run under one's own agency → 404, every role
below admin → 403, an admin → the page."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from dataio.models import ImportRun, RunState

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def runs(org_a, org_b):
    with scopes_disabled():
        return {
            persona.org.slug: ImportRun.objects.create(
                organization=persona.org, filename="plan.xlsx", state=RunState.PREVIEWED
            )
            for persona in (org_a, org_b)
        }


def urls(slug, run):
    return [
        ("get", reverse("dataio:import_run", args=[slug, run.pk])),
        ("post", reverse("dataio:import_confirm", args=[slug, run.pk])),
        ("post", reverse("dataio:import_upload", args=[slug])),
    ]


def test_anonymous_goes_to_sign_in(client, runs):
    for method, url in urls("alpha", runs["alpha"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_another_agency_and_its_runs_are_not_found(client, org_a, org_b, runs):
    client.force_login(org_b.admin)
    for method, url in urls("alpha", runs["alpha"]):
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(org_a.admin)
    for method, url in urls("alpha", runs["beta"])[:2]:  # beta's run under alpha's address
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("role", ["viewer", "contributor", "editor"])
def test_roles_below_admin_are_refused(client, org_a, runs, role):
    client.force_login(org_a.user(role))
    for method, url in urls("alpha", runs["alpha"]):
        assert getattr(client, method)(url).status_code == 403, url
    assert client.get(reverse("dataio:page", args=["alpha"])).status_code == 403


def test_an_admin_sees_the_run_and_may_confirm_it(client, org_a, runs):
    client.force_login(org_a.admin)
    run_page, confirm, upload = urls("alpha", runs["alpha"])
    assert client.get(run_page[1]).status_code == 200
    assert client.post(upload[1]).status_code == 400  # no file: the form says so
    assert client.post(confirm[1]).status_code == 302
    runs["alpha"].refresh_from_db()
    assert runs["alpha"].state == RunState.IMPORTING
