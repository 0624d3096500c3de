"""The public pages (``/p/<slug>/``) in the URL-derived access matrix: published → 200
without login; an unknown slug, a never-published or an unpublished agency → 404; another
agency's published object ids under this agency's slug → 404. Every page has a ``_version``
twin for an earlier edition (``v/<version>/``), listed on its own."""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from publicdash.fastpath import live_key
from publicdash.publishing import publish, site_for, unpublish
from tests.factories import (
    CycleFactory,
    KeyResultFactory,
    MeasureFactory,
    MeasureValueFactory,
    OkrObjectiveFactory,
    StrategicObjectiveFactory,
    StrategicPlanFactory,
)

# The published OKRs are the current quarter's on the clock's day. The public fast path
# marks an agency's live publication in Redis by slug, which outlives a test's rollback, so
# each test starts with no live mark for its slugs (not cache.clear(): Redis is shared by
# the parallel workers, and other tests keep version counters there).
pytestmark = pytest.mark.usefixtures("clock", "no_live_marks")


@pytest.fixture
def no_live_marks():
    cache.delete_many([live_key(slug) for slug in ("alpha", "beta", "no-such-agency")])


@dataclass
class PublicView:
    name: str
    minimum: str = "anonymous ok"
    method: str = "get"
    kwargs: dict = field(default_factory=dict)  # URL arguments besides org_slug; see _kwargs
    ok: tuple[int, ...] = (200,)

    @property
    def takes_ids(self) -> bool:
        return "public_id" in self.kwargs


def _both(name, **kw):
    versioned = dict(kw)
    versioned["kwargs"] = {**kw.get("kwargs", {}), "version": 1}
    return [PublicView(f"public:{name}", **kw), PublicView(f"public:{name}_version", **versioned)]


PUBLIC_VIEWS = [
    *_both("home"),
    *_both("objective", kwargs={"public_id": "objective"}),
    *_both("measure", kwargs={"public_id": "measure"}),
    *_both("measure_csv", kwargs={"public_id": "measure"}),
    *_both("okrs"),
    *_both("data_json"),
    *_both("data_csv"),
    PublicView("public:archive"),
    PublicView("public:logo"),  # the fixture agency has a logo
    PublicView("public:reports:list"),
    PublicView("public:reports:edition", kwargs={"public_id": "report"}),
    PublicView("public:reports:pdf", kwargs={"public_id": "report"}),
]

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10"/></svg>'


def build_public_world(personas) -> dict[str, str]:
    """A plan with an objective and a public measure, the current quarter's OKRs and a logo;
    not yet published. Returns the public ids."""
    organization = personas.org
    with scopes_disabled():
        plan = StrategicPlanFactory(organization=organization)
        objective = StrategicObjectiveFactory(plan=plan, owner=personas.editor)
        measure = MeasureFactory(objective=objective, owner=personas.contributor)
        MeasureValueFactory(measure=measure)
        okr = OkrObjectiveFactory(cycle=CycleFactory(organization=organization))
        KeyResultFactory(objective=okr)
        site = site_for(organization)
        site.include_okrs = True
        site.save()
        organization.logo.save("logo.svg", ContentFile(LOGO))
    return {
        "objective": objective.public_id,
        "measure": measure.public_id,
        "report": _published_report(personas),
    }


def _published_report(personas) -> str:
    """The public id of an approved, published report edition (shown only while the
    agency's public dashboard is published)."""
    from reports import editions
    from reports import public as public_reports

    with scope(organization=personas.org):
        report = editions.create_report(
            personas.org,
            personas.editor,
            template="council_quarterly",
            fiscal_year=2026,
            quarter=2,
        )
        edition = report.editions.get()
        editions.submit(edition, personas.editor)
        editions.approve(edition, personas.admin)
        return public_reports.publish(edition, personas.admin).public_id


def _publish(personas):
    with scope(organization=personas.org):  # as the publish view and the scheduled task do
        publish(personas.org, by=personas.admin)


def _url(view: PublicView, slug: str, public_ids: dict) -> str:
    kwargs = {"org_slug": slug, **view.kwargs}
    if "public_id" in kwargs:
        kwargs["public_id"] = public_ids[kwargs["public_id"]]
    return reverse(view.name, kwargs=kwargs)


@pytest.fixture
def public_a(org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_public_world(org_a)


@pytest.fixture
def published_a(org_a, public_a):
    _publish(org_a)
    return public_a


@pytest.fixture
def published_b(org_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ids = build_public_world(org_b)
    _publish(org_b)
    return ids


def _id(view):
    return view.name


def test_public_urls_are_under_p():
    for view in PUBLIC_VIEWS:
        ids = {"objective": "o", "measure": "m", "report": "r"}
        assert _url(view, "x", ids).startswith("/p/x/"), view.name


@pytest.mark.parametrize("view", PUBLIC_VIEWS, ids=_id)
def test_published_agency_is_open_without_login(client, published_a, view):
    response = getattr(client, view.method)(_url(view, "alpha", published_a))
    assert response.status_code in view.ok


@pytest.mark.parametrize("view", PUBLIC_VIEWS, ids=_id)
def test_a_member_sees_the_same_public_page(client, org_a, published_a, view):
    client.force_login(org_a.viewer)
    assert client.get(_url(view, "alpha", published_a)).status_code in view.ok


@pytest.mark.parametrize("view", PUBLIC_VIEWS, ids=_id)
def test_unknown_agency_gives_404(client, db, view):
    ids = {"objective": "nosuchobj", "measure": "nosuchmeas", "report": "nosuchrep"}
    assert client.get(_url(view, "no-such-agency", ids)).status_code == 404


@pytest.mark.parametrize("view", PUBLIC_VIEWS, ids=_id)
def test_never_published_agency_gives_404(client, org_a, public_a, view):
    assert client.get(_url(view, "alpha", public_a)).status_code == 404


@pytest.mark.parametrize("view", PUBLIC_VIEWS, ids=_id)
def test_unpublished_agency_gives_404(client, org_a, published_a, view):
    with scope(organization=org_a.org):
        unpublish(org_a.org, by=org_a.admin)
    assert client.get(_url(view, "alpha", published_a)).status_code == 404


@pytest.mark.parametrize("view", [v for v in PUBLIC_VIEWS if v.takes_ids], ids=_id)
def test_other_agencys_published_ids_give_404(client, published_a, published_b, view):
    assert client.get(_url(view, "beta", published_b)).status_code == 200
    assert client.get(_url(view, "alpha", published_b)).status_code == 404
