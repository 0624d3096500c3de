"""The public version: only an approved edition, only by an admin; public measures only, no
owners' names or emails, commentary only where its author chose; readable without signing
in; taken down at once; another agency's slug does not show it."""

from django.urls import reverse
from django_scopes import scope

from reports import commentary, editions, public
from reports.models import Edition
from scorecards.models import Measure
from tests.conftest import make_organization
from tests.reports.conftest import member

RESPONSE = "Average response time to serious incidents"
BUDGET = "Police budget variance"


def test_the_public_version_shows_only_what_may_go_outside(client, q1_report, riverton):
    with scope(organization=riverton):
        Measure.objects.filter(name=BUDGET).update(visibility="internal")
        edition = editions.rebuild(q1_report.editions.get(), None)
        items = {i["title"]: i for i in commentary.items(edition.content)}
        response = items[RESPONSE]
        from strategyhub.models import User

        owner = User.objects.get(pk=response["owner_id"])
        commentary.write(
            edition,
            owner,
            kind="measure",
            item_id=response["id"],
            analysis="Published analysis.",
            recovery="Published recovery.",
            publish=True,
        )
        crime = items["Violent crime rate per 100,000"]
        crime_owner = User.objects.get(pk=crime["owner_id"])
        commentary.write(
            edition,
            crime_owner,
            kind="measure",
            item_id=crime["id"],
            analysis="Internal analysis.",
            recovery="Internal recovery.",
        )
        try:
            public.publish(edition, member(riverton, "admin"))
        except editions.ReportRefused as exc:
            assert "Only an approved edition" in str(exc)
        editions.submit(edition, None)
        editions.approve(edition, member(riverton, "admin"))
    client.force_login(member(riverton, "editor"))
    staff = reverse("reports:edition_action", args=[riverton.slug, q1_report.pk, 1, "publish"])
    assert client.post(staff).status_code == 403  # admins publish
    client.force_login(member(riverton, "admin"))
    assert client.post(staff).status_code == 302
    client.logout()
    with scope(organization=riverton):
        edition = Edition.objects.get(pk=edition.pk)
    url = reverse("public:reports:edition", args=[riverton.slug, edition.public_id])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert RESPONSE in html and BUDGET not in html
    assert "Published analysis." in html and "Internal analysis." not in html
    assert "@riverton.example" not in html and "No owner" in html
    assert "This report covers 4 measures." in html
    listing = client.get(reverse("public:reports:list", args=[riverton.slug])).content.decode()
    assert edition.report.title in listing
    pdf = client.get(reverse("public:reports:pdf", args=[riverton.slug, edition.public_id]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    make_organization("Agency Beta", "beta")
    assert (
        client.get(reverse("public:reports:edition", args=["beta", edition.public_id])).status_code
        == 404
    )

    with scope(organization=riverton):
        public.unpublish(edition, member(riverton, "admin"))
    assert client.get(url).status_code == 404


def test_a_draft_is_never_public(client, q1_report, riverton):
    with scope(organization=riverton):
        edition = q1_report.editions.get()
    url = reverse("public:reports:edition", args=[riverton.slug, edition.public_id])
    assert client.get(url).status_code == 404


def test_the_public_dashboard_links_to_its_reports(client, q1_report, riverton):
    """Residents find the published reports from the scorecard's own pages."""
    home = client.get(reverse("public:home", args=[riverton.slug]))
    assert home.status_code == 200
    assert reverse("public:reports:list", args=[riverton.slug]) in home.content.decode()
