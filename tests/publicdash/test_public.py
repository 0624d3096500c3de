"""Public dashboards: only what was published, never a leak, fast and cacheable."""

import codecs
import csv
import datetime as dt
import gzip
import io
import json
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from publicdash.models import Publication, PublicationEvent
from publicdash.publishing import publish, site_for, unpublish
from scorecards.models import Measure, MeasureValue, StrategicObjective, StrategicPlan
from scorecards.plans import create_plan
from tests.conftest import clear_worker_cache

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_worker_cache()


@pytest.fixture
def published(org_a, plan_a, objective_a, measure_a, okr, kr_response):
    """Agency A with a public and an internal measure, a draft plan, OKRs; published."""
    with scopes_disabled():
        Measure.objects.create(
            organization=org_a.org,
            objective=objective_a,
            name="Secret overtime hours",
            baseline_value=D(100),
            baseline_date=dt.date(2026, 6, 30),
            target_value=D(50),
            polarity="lower",
            visibility="internal",
        )
        draft = create_plan(
            org_a.org,
            title="Draft Plan 2031",
            mission="Draft mission",
            vision="Draft vision",
            first_fiscal_year=2031,
        )
        StrategicObjective.objects.create(
            organization=org_a.org,
            plan=draft,
            perspective=draft.perspectives.first(),
            title="Draft objective nobody approved",
        )
        site = site_for(org_a.org)
        site.include_okrs = True
        site.save()
        return publish(org_a.org, by=org_a.admin)


def _measure(document, name):
    return next(
        m
        for p in document["plan"]["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
        if m["name"] == name
    )


def _all_public_urls(client, slug, document):
    urls = [
        reverse("public:home", args=[slug]),
        reverse("public:okrs", args=[slug]),
        reverse("public:archive", args=[slug]),
        reverse("public:data_json", args=[slug]),
        reverse("public:data_csv", args=[slug]),
    ]
    for perspective in document["plan"]["perspectives"]:
        for objective in perspective["objectives"]:
            urls.append(reverse("public:objective", args=[slug, objective["id"]]))
            for measure in objective["measures"]:
                urls.append(reverse("public:measure", args=[slug, measure["id"]]))
                urls.append(reverse("public:measure_csv", args=[slug, measure["id"]]))
    return urls


def test_every_public_page_and_download_answers_without_login(client, org_a, published):
    urls = _all_public_urls(client, "alpha", published.document)
    assert len(urls) >= 9
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_nothing_unpublished_leaks(client, org_a, org_b, published, measure_a):
    with scopes_disabled():
        # Agency B publishes too; a value entered after A's publication must not show.
        plan_b = create_plan(
            org_b.org,
            title="Beta Plan",
            mission="Beta mission secret",
            vision="v",
            first_fiscal_year=2026,
            status="active",
        )
        publish(org_b.org, by=org_b.admin)
        MeasureValue.objects.create(
            organization=org_a.org,
            measure=measure_a,
            period=dt.date(2026, 10, 1),
            value=D("123.45"),
        )
    forbidden = [
        "Secret overtime hours",
        "Draft Plan 2031",
        "Draft objective nobody approved",
        "Draft mission",
        "123.45",
        "Beta mission secret",
        plan_b.title,
        org_a.contributor.email,
        org_a.editor.email,
        "@alpha.test",
    ]
    for url in _all_public_urls(client, "alpha", published.document):
        body = client.get(url).content.decode()
        for text in forbidden:
            assert text not in body, (url, text)


def test_measure_ids_are_public_ids_not_database_ids(client, published, measure_a):
    ids = [
        m["id"]
        for p in published.document["plan"]["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
    ]
    assert ids and str(measure_a.pk) not in ids
    assert reverse("public:measure", args=["alpha", str(measure_a.pk)]) not in str(ids)
    assert (
        client.get(reverse("public:measure", args=["alpha", str(measure_a.pk)])).status_code == 404
    )


def test_unpublished_or_unknown_agency_is_a_plain_404(client, org_a, org_b, published):
    assert client.get(reverse("public:home", args=["beta"])).status_code == 404  # never published
    assert client.get(reverse("public:home", args=["nobody"])).status_code == 404
    home = reverse("public:home", args=["alpha"])
    assert client.get(home).status_code == 200
    with scope(organization=org_a.org):
        unpublish(org_a.org, by=org_a.admin)
    for url in _all_public_urls(client, "alpha", published.document):
        assert client.get(url).status_code == 404, url  # at once, despite the page cache


def test_a_snapshot_stays_as_it_was(client, org_a, published, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(name="Renamed after publishing")
        StrategicPlan.objects.filter(organization=org_a.org, status="active").update(
            mission="New mission"
        )
    body = client.get(reverse("public:home", args=["alpha"])).content.decode()
    assert "Violent crime rate" in body and "Renamed after publishing" not in body
    assert "New mission" not in body
    with scopes_disabled(), pytest.raises(ValueError, match="immutable"):
        published.save()
    with scope(organization=org_a.org):
        second = publish(org_a.org, by=org_a.admin)
    body = client.get(reverse("public:home", args=["alpha"])).content.decode()
    assert "Renamed after publishing" in body and "New mission" in body
    # The earlier edition is still viewable as it was.
    old = client.get(reverse("public:home_version", args=["alpha", 1])).content.decode()
    assert "Violent crime rate" in old and "earlier edition" in old
    assert second.version == 2
    with scope(organization=org_a.org):
        assert PublicationEvent.objects.filter(action="published").count() == 2


def test_cache_headers_and_conditional_get(client, published):
    url = reverse("public:home", args=["alpha"])
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""


def test_the_fast_path_sends_compressed_copies_with_their_headers(client, published):
    """A second request is answered by the fast path: gzip when accepted (a weak ETag,
    ``Vary``), plain otherwise, with the same bytes and the download's file name."""
    url = reverse("public:data_csv", args=["alpha"])
    first = client.get(url)
    plain = first.content
    assert not plain.startswith(codecs.BOM_UTF8)  # machine-readable: no BOM (csvsafe)
    filename = first["Content-Disposition"]
    assert filename == 'attachment; filename="alpha-v1.csv"'
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip" and zipped["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.content) == plain
    assert zipped["Content-Disposition"] == filename
    assert zipped["ETag"].startswith("W/")
    again = client.get(url)  # no Accept-Encoding: the plain body
    assert again.content == plain and "Content-Encoding" not in again
    assert again["Content-Disposition"] == filename
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert refused.content == plain
    not_modified = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]}
    )
    assert not_modified.status_code == 304
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_public_pages_cost_a_couple_of_queries(client, published, django_assert_max_num_queries):
    url = reverse("public:home", args=["alpha"])
    client.get(url)  # fill the page cache
    with django_assert_max_num_queries(0):  # answered by the fast path, before the database
        assert client.get(url).status_code == 200
    clear_worker_cache()
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_open_data_downloads(client, published, measure_a):
    data = json.loads(client.get(reverse("public:data_json", args=["alpha"])).content)
    assert data["schema"] == "strategyhub.publication/1" and data["version"] == 1
    measure = _measure(data, "Violent crime rate")
    assert measure["baseline"]["value"] == "485" and measure["latest"]["value"] == "470"
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("public:data_csv", args=["alpha"])).content.decode())
        )
    )
    assert rows[0][:4] == ["perspective", "objective", "objective_id", "measure"]
    assert any(row[8] == "470" for row in rows[1:])
    one = client.get(reverse("public:measure_csv", args=["alpha", measure["id"]]))
    assert one["Content-Disposition"].startswith("attachment")


def test_plain_language_sentence(client, published):
    measure = _measure(published.document, "Violent crime rate")
    assert measure["sentence"].startswith(
        "Violent crime rate was 470 per 100,000 in September 2026, better than the"
    )


def test_staff_publishing_page_roles(client, org_a, org_b, plan_a):
    url = reverse("publishing:page", args=["alpha"])
    assert client.get(url).status_code == 302
    client.force_login(org_b.admin)
    assert client.get(url).status_code == 404
    client.force_login(org_a.editor)
    assert client.get(url).status_code == 403
    assert client.post(reverse("publishing:publish", args=["alpha"])).status_code == 403
    client.force_login(org_a.admin)
    assert client.get(url).status_code == 200
    preview = client.get(reverse("publishing:preview", args=["alpha"]))
    assert preview.status_code == 200 and b"Preview" in preview.content
    with scope(organization=org_a.org):
        assert not Publication.objects.exists()  # previewing publishes nothing
    client.post(reverse("publishing:publish", args=["alpha"]))
    assert client.get(reverse("public:home", args=["alpha"])).status_code == 200
    client.post(reverse("publishing:unpublish", args=["alpha"]))
    assert client.get(reverse("public:home", args=["alpha"])).status_code == 404


def test_scheduled_publication_once_per_period(org_a, plan_a):
    from publicdash.tasks import publish_on_schedule, scheduled_publications

    with scope(organization=org_a.org):
        publish(org_a.org, by=org_a.admin)
        site = site_for(org_a.org)
        site.schedule = "monthly"
        site.save()
    assert scheduled_publications.apply().get() == 1
    assert publish_on_schedule.apply(kwargs={"organization_id": org_a.org.pk}).get() is None
    with scope(organization=org_a.org):
        assert Publication.objects.count() == 2
        assert Publication.objects.filter(scheduled=True).count() == 1


def test_agency_logo_on_the_public_pages(client, org_a, plan_a, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "#005ea2").save(png, "PNG")
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    base = {"name": "Agency Alpha", "timezone": "America/Chicago", "fiscal_year_start_month": 7}
    wrong = client.post(url, {**base, "logo": SimpleUploadedFile("logo.gif", b"GIF89a")})
    assert wrong.status_code == 400 and b"PNG, JPEG or WebP" in wrong.content
    big = client.post(url, {**base, "logo": SimpleUploadedFile("logo.png", b"x" * 300_000)})
    assert big.status_code == 400 and b"at most 200 KB" in big.content
    # Named .jpg but a PNG: stored and served as what it is.
    ok = client.post(url, {**base, "logo": SimpleUploadedFile("logo.jpg", png.getvalue())})
    assert ok.status_code == 302
    assert client.get(reverse("public:logo", args=["alpha"])).status_code == 404  # not published
    client.post(reverse("publishing:publish", args=["alpha"]))
    client.logout()
    home = client.get(reverse("public:home", args=["alpha"])).content.decode()
    assert 'class="sh-public-logo"' in home
    logo = client.get(reverse("public:logo", args=["alpha"]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
