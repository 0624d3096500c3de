"""Annual OKRs (issue 16): the fiscal year's cycle has its overview, quarters align to its
objectives, "Start the year's OKRs" drafts one per strategic objective in focus, and an
annual key result feeds every period of its year."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import annual, calc, checkins
from okrs.checkins import CheckInEntry
from okrs.cycles import ensure_cycles
from okrs.models import Cycle, KeyResult, OkrObjective
from scorecards.models import FocusEntry, MeasureValue, StrategicObjective

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def year(org_a, quarter):
    """FY 2026's annual cycle (July 2026 – June 2027), active."""
    with scopes_disabled():
        cycle = Cycle.objects.get(organization=org_a.org, kind="annual", fiscal_year=2026)
        cycle.status = "active"
        cycle.save()
    return cycle


@pytest.fixture
def annual_okr(org_a, year, objective_a):
    return OkrObjective.objects.create(
        organization=org_a.org,
        cycle=year,
        level="agency",
        owner=org_a.editor,
        title="Violent crime down this year",
        strategic_objective=objective_a,
    )


# --- (a) the annual cycle's overview ---------------------------------------------------------


def test_annual_cycle_has_its_overview_with_scores_and_statuses(
    client, org_a, quarter, year, annual_okr, kr_response
):
    with scopes_disabled():
        kr = KeyResult.objects.create(
            organization=org_a.org,
            objective=annual_okr,
            title="Fewer assaults",
            kind="metric",
            start_value=D(100),
            target_value=D(60),
        )
    with scope(organization=org_a.org):
        checkins.record(kr, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=D(90)))
    client.force_login(org_a.viewer)
    response = client.get(reverse("okrs:cycle_detail", args=["alpha", year.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>OKRs, FY 2026–27</h1>" in body
    assert annual_okr.title in body
    assert kr_response.objective.title not in body  # the quarter's objective is not listed
    assert 'sh-progress__text">0.25 ' in body  # 10 of 40 down: a quarter of the way
    # Pace over the fiscal year: 0.25 on 22 November keeps the year's pace (on track), where
    # in the quarter, more than half gone, it would be at risk.
    row = body.split(f'{annual_okr.pk}/">{annual_okr.title}</a>')[1].split("</li>")[0]
    assert "On track" in row
    today = dt.date(2026, 11, 22)
    assert calc.status_from_score(kr.spec(), D("0.25"), year.start, year.end, today) == "on_track"
    assert (
        calc.status_from_score(kr.spec(), D("0.25"), quarter.start, quarter.end, today) == "at_risk"
    )


def test_cycle_switcher_lists_the_year_beside_its_quarters(client, org_a, year):
    client.force_login(org_a.viewer)
    body = client.get(reverse("okrs:cycle", args=["alpha"])).content.decode()
    nav = body.split('aria-label="Cycles: each fiscal year and its quarters"')[1].split("</nav>")[0]
    labels = ["FY 2026–27", "Q1 FY 2026–27", "Q2 FY 2026–27", "Q3 FY 2026–27", "Q4 FY 2026–27"]
    positions = [nav.index(f">{label}</a>") for label in labels]
    assert positions == sorted(positions)
    assert f'href="{reverse("okrs:cycle_detail", args=["alpha", year.pk])}"' in nav


def test_another_agencys_annual_cycle_is_not_found(client, org_a, org_b, year):
    client.force_login(org_b.admin)
    assert client.get(reverse("okrs:cycle_detail", args=["beta", year.pk])).status_code == 404


# --- (b) quarters align to the year's objectives -----------------------------------------------


def test_quarterly_objective_aligns_to_the_years_objective(client, org_a, quarter, annual_okr):
    client.force_login(org_a.editor)
    url = reverse("okrs:objective_new", args=["alpha"])
    form = client.get(url).content.decode()
    assert f'value="{annual_okr.pk}"' in form and "(FY 2026–27)" in form
    response = client.post(
        url,
        {
            "cycle": quarter.pk,
            "title": "Team: hot-spot patrols",
            "level": "team",
            "order": 0,
            "parent": annual_okr.pk,
        },
    )
    assert response.status_code == 302
    with scope(organization=org_a.org):
        child = OkrObjective.objects.get(title="Team: hot-spot patrols")
        assert child.parent == annual_okr
    body = client.get(reverse("okrs:objective", args=["alpha", annual_okr.pk])).content.decode()
    assert "Team: hot-spot patrols" in body  # listed among the year objective's children


def test_model_refuses_a_parent_of_another_year_or_agency(org_a, org_b, quarter, annual_okr):
    with scopes_disabled():
        ensure_cycles(org_a.org, 2025)
        last_year = Cycle.objects.get(organization=org_a.org, kind="annual", fiscal_year=2025)
        old = OkrObjective.objects.create(
            organization=org_a.org, cycle=last_year, level="team", title="Last year's"
        )
        child = OkrObjective(
            organization=org_a.org, cycle=quarter, level="team", title="Q2", parent=old
        )
        with pytest.raises(ValidationError) as error:
            child.full_clean()
        assert "FY 2026–27" in error.value.message_dict["parent"][0]
        ensure_cycles(org_b.org, 2026)
        b_year = Cycle.objects.get(organization=org_b.org, kind="annual", fiscal_year=2026)
        foreign = OkrObjective.objects.create(
            organization=org_b.org, cycle=b_year, level="team", title="Foreign"
        )
        child.parent = foreign
        with pytest.raises(ValidationError) as error:
            child.save()
        assert "parent" in error.value.message_dict
        child.parent = annual_okr
        child.full_clean()  # the same year's annual objective is fine


# --- (c) Start the year's OKRs ------------------------------------------------------------------


@pytest.fixture
def focus(org_a, plan_a, objective_a):
    """In FY 2026: ``objective_a`` High in Q1, a second objective Medium in Q3, a third only
    Low (not in focus), a fourth High but in FY 2027."""
    with scopes_disabled():
        perspective = plan_a.perspectives.first()

        def strategic(title):
            return StrategicObjective.objects.create(
                organization=org_a.org, plan=plan_a, perspective=perspective, title=title
            )

        medium, low, later = strategic("Safer roads"), strategic("Tidy parks"), strategic("Later")
        for objective, fiscal_year, quarter, level in [
            (objective_a, 2026, 1, "high"),
            (objective_a, 2026, 2, "high"),
            (medium, 2026, 3, "medium"),
            (low, 2026, 1, "low"),
            (later, 2027, 1, "high"),
        ]:
            FocusEntry.objects.create(
                organization=org_a.org,
                objective=objective,
                fiscal_year=fiscal_year,
                quarter=quarter,
                level=level,
            )
    return objective_a, medium


def test_start_the_year_drafts_one_objective_per_strategic_objective_in_focus(org_a, year, focus):
    crime, roads = focus
    with scope(organization=org_a.org):
        created = annual.start_year(year)
        assert sorted((o.title, o.strategic_objective, o.status, o.level) for o in created) == [
            ("Reduce violent crime", crime, "draft", "agency"),
            ("Safer roads", roads, "draft", "agency"),
        ]
        assert next(o for o in created if o.strategic_objective == crime).owner == org_a.editor
        assert annual.start_year(year) == []  # idempotent
        # Dropped (archived) drafts do not come back.
        dropped = next(o for o in created if o.strategic_objective == roads)
        dropped.archived_at = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
        dropped.save()
        assert annual.start_year(year) == []
        assert OkrObjective.objects.filter(cycle=year).count() == 2


def test_start_the_year_only_on_an_open_annual_cycle(org_a, quarter, year, focus):
    with scope(organization=org_a.org):
        with pytest.raises(annual.StartRefused):
            annual.start_year(quarter)
        year.status = "closed"
        year.save()
        with pytest.raises(annual.StartRefused):
            annual.start_year(year)
        assert not OkrObjective.objects.filter(cycle=year).exists()


def test_start_the_year_button_and_post(client, org_a, year, focus):
    url = reverse("okrs:cycle_start_year", args=["alpha", year.pk])
    page = reverse("okrs:cycle_detail", args=["alpha", year.pk])
    client.force_login(org_a.viewer)
    assert url not in client.get(page).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(org_a.editor)
    assert url in client.get(page).content.decode()
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert "2 draft objectives for FY 2026–27" in body
    assert body.count(">Draft</span>") == 2
    client.post(url)
    with scope(organization=org_a.org):
        assert OkrObjective.objects.filter(cycle=year).count() == 2


# --- (d) an annual result feeds every period of its year ----------------------------------------


def test_annual_key_result_feeds_every_period_of_its_year(
    client, org_a, annual_okr, kr_response, response_measure
):
    """A monthly mean measure fed by the year's result and the quarter's: August (Q1) takes
    the annual result alone; November (Q2) the mean of both, the annual result's latest
    value carried into it. The per-check-in path and the bulk recompute agree."""
    from okrs.rollup import recompute_rollups

    with scopes_disabled():
        yearly = KeyResult.objects.create(
            organization=org_a.org,
            objective=annual_okr,
            title="Response under 8 min all year",
            kind="metric",
            unit_kind="minutes",
            start_value=D("9.2"),
            target_value=D("8.0"),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        checkins.record(
            yearly, org_a.editor, CheckInEntry(as_of=dt.date(2026, 8, 10), value=D("9.0"))
        )
        checkins.record(
            kr_response, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("8.0"))
        )
        values = dict(MeasureValue.objects.values_list("period", "value"))
        assert values == {dt.date(2026, 8, 1): D("9.0"), dt.date(2026, 11, 1): D("8.5")}
        MeasureValue.objects.all().delete()
        recompute_rollups(org_a.org)
        assert dict(MeasureValue.objects.values_list("period", "value")) == values
    client.force_login(org_a.viewer)
    body = client.get(
        reverse("scorecards:measure", args=["alpha", response_measure.pk])
    ).content.decode()
    assert "an annual result every period of its fiscal year" in body
    assert "FY 2026–27" in body.split("Key results feeding this measure")[1]
