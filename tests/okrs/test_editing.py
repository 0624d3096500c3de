"""Editing OKRs in the browser forms: access, bad input, warnings."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.cycles import ensure_cycles
from okrs.models import Cycle, KeyResult, OkrObjective

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _kr_data(**over):
    data = {
        "title": "Cut overtime hours",
        "kind": "metric",
        "unit_kind": "number",
        "decimals": 0,
        "start_value": "1200",
        "target_value": "900",
        "weight": "1",
        "order": 0,
    }
    data.update(over)
    return data


def test_access(client, org_a, org_b, okr, kr_response):
    urls = [
        reverse("okrs:objective_new", args=["alpha"]),
        reverse("okrs:objective_edit", args=["alpha", okr.pk]),
        reverse("okrs:key_result_new", args=["alpha", okr.pk]),
        reverse("okrs:key_result_edit", args=["alpha", okr.pk, kr_response.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(org_b.admin)
    for url in urls:
        assert client.get(url).status_code == 404
        if url != urls[0]:
            assert client.get(url.replace("/o/alpha/", "/o/beta/")).status_code == 404
    client.force_login(org_a.viewer)
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(org_a.contributor)  # owns a key result, not the objective
    assert client.get(urls[1]).status_code == 403
    client.force_login(org_a.editor)
    for url in urls:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"weight": "0"}, "weight", "above 0"),
        ({"target_value": "1200"}, "target_value", "make it a hold-the-line result"),
        ({"start_value": "lots"}, "start_value", "Enter a number"),
        (
            {"kind": "hold", "target_value": "95", "hold_direction": ""},
            "hold_direction",
            "at least or at most",
        ),
        ({"kind": "milestone"}, "due_date", "needs its due date"),
    ],
)
def test_key_result_bad_input(client, org_a, okr, over, field, message):
    client.force_login(org_a.editor)
    response = client.post(reverse("okrs:key_result_new", args=["alpha", okr.pk]), _kr_data(**over))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    with scope(organization=org_a.org):
        assert not KeyResult.objects.filter(title="Cut overtime hours").exists()


def test_key_result_feeding_a_measure_of_another_unit_kind_is_refused(
    client, org_a, okr, response_measure
):
    client.force_login(org_a.editor)
    response = client.post(
        reverse("okrs:key_result_new", args=["alpha", okr.pk]),
        _kr_data(measure=response_measure.pk, unit_kind="percent"),
    )
    assert response.status_code == 400
    assert "That measure is in minutes and this result in percent" in response.content.decode()
    ok = client.post(
        reverse("okrs:key_result_new", args=["alpha", okr.pk]),
        _kr_data(
            measure=response_measure.pk, unit_kind="minutes", start_value="9", target_value="8"
        ),
    )
    assert ok.status_code == 302


def test_objective_rules(client, org_a, org_b, quarter, objective_a, okr):
    client.force_login(org_a.editor)
    url = reverse("okrs:objective_new", args=["alpha"])
    base = {"cycle": quarter.pk, "title": "Unit objective", "level": "unit", "order": 0}
    no_strategy = client.post(url, base)
    assert (
        no_strategy.status_code == 400
        and b"must name the strategic objective" in no_strategy.content
    )
    with scope(organization=org_a.org):
        later = Cycle.objects.get(fiscal_year=2026, quarter=3)
        later_parent = OkrObjective.objects.create(
            organization=org_a.org, cycle=later, level="team", title="Later one"
        )
    parent_later = client.post(url, {**base, "level": "team", "parent": later_parent.pk})
    assert parent_later.status_code == 400 and b"later cycle" in parent_later.content
    with scopes_disabled():
        ensure_cycles(org_b.org, 2026)
        b_cycle = Cycle.objects.get(organization=org_b.org, fiscal_year=2026, quarter=2)
        foreign = OkrObjective.objects.create(
            organization=org_b.org, cycle=b_cycle, level="team", title="Foreign"
        )
    forged = client.post(url, {**base, "level": "team", "parent": foreign.pk})
    assert forged.status_code == 400 and b"Select a valid choice" in forged.content
    ok = client.post(url, {**base, "strategic_objective": objective_a.pk, "parent": okr.pk})
    assert ok.status_code == 302
    with scope(organization=org_a.org):
        assert OkrObjective.objects.get(title="Unit objective").parent == okr


def test_warnings_on_the_objective_page(client, org_a, okr, kr_patrols):
    client.force_login(org_a.viewer)
    body = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    assert "has 1 key result; 3 to 5 keep an objective focused" in body
    assert f"“{kr_patrols.title}” feeds no scorecard measure" in body


def test_closed_cycle_freezes_editing(client, org_a, okr, quarter):
    quarter.status = "closed"
    quarter.save()
    client.force_login(org_a.editor)
    response = client.get(reverse("okrs:objective_edit", args=["alpha", okr.pk]), follow=True)
    assert b"is closed; reopen it to edit" in response.content


def test_archive_and_restore(client, org_a, okr, kr_patrols):
    client.force_login(org_a.editor)
    client.post(reverse("okrs:archive", args=["alpha", "key-result", kr_patrols.pk]))
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_patrols.pk).archived_at is not None
    client.post(
        reverse("okrs:archive", args=["alpha", "key-result", kr_patrols.pk]), {"restore": "1"}
    )
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_patrols.pk).archived_at is None
    assert client.post(reverse("okrs:archive", args=["alpha", "other", 1])).status_code == 403


def _edit_response_kr(client, okr, kr, **over):
    data = _kr_data(
        title=kr.title,
        unit_kind="minutes",
        decimals=1,
        start_value="9.2",
        target_value="8.0",
        measure=kr.measure_id,
        owner=kr.owner_id,
    )
    data.update(over)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("okrs:key_result_edit", args=["alpha", okr.pk, kr.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_editing_a_key_results_target_rescores_it_at_once(client, org_a, okr, kr_response):
    """The stored score (cycle overview, ownership, public pages, objective scores) follows
    the new target without waiting for the next check-in."""
    import datetime as dt
    from decimal import Decimal as D

    from okrs import checkins
    from okrs.checkins import CheckInEntry

    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6")),
        )
        assert KeyResult.objects.get(pk=kr_response.pk).score == D("0.5")
    client.force_login(org_a.editor)
    _edit_response_kr(client, okr, kr_response, target_value="8.6")
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_response.pk).score == D("1")


def test_unlinking_or_archiving_a_key_result_recomputes_the_measure_it_fed(
    client, org_a, okr, kr_response, response_measure
):
    import datetime as dt
    from decimal import Decimal as D

    from okrs import checkins
    from okrs.checkins import CheckInEntry
    from scorecards.models import MeasureValue

    def values():
        with scope(organization=org_a.org):
            return dict(
                MeasureValue.objects.filter(measure=response_measure).values_list("period", "value")
            )

    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 20), value=D("9.0")),
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6")),
        )
    fed = {dt.date(2026, 10, 1): D("9.0"), dt.date(2026, 11, 1): D("8.6")}
    assert values() == fed
    client.force_login(org_a.editor)
    archive = reverse("okrs:archive", args=["alpha", "key-result", kr_response.pk])
    client.post(archive)
    assert values() == {}  # no result feeds it any more: the calculated values go
    client.post(archive, {"restore": "1"})
    assert values() == fed
    _edit_response_kr(client, okr, kr_response, measure="")
    assert values() == {}
    _edit_response_kr(client, okr, kr_response, measure=response_measure.pk)
    assert values() == fed


def test_changing_a_measures_roll_up_method_recomputes_its_values(
    client, org_a, plan_a, okr, kr_response, response_measure
):
    import datetime as dt
    from decimal import Decimal as D

    from okrs import checkins
    from okrs.checkins import CheckInEntry
    from scorecards.models import MeasureValue

    with scope(organization=org_a.org):
        second = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Dispatch in under 2 min",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="minutes",
            start_value=D("3"),
            target_value=D("2"),
            measure=response_measure,
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6")),
        )
        checkins.record(
            second, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("2.4"))
        )
        assert MeasureValue.objects.get(measure=response_measure).value == D("5.5")  # mean
    client.force_login(org_a.editor)
    data = {
        "objective": response_measure.objective_id,
        "name": response_measure.name,
        "unit_kind": "minutes",
        "decimals": 1,
        "polarity": "lower",
        "baseline_value": "9.2",
        "baseline_date": "2026-06-30",
        "target_value": "7.0",
        "tolerance": "0.3",
        "update_frequency": "monthly",
        "visibility": "public",
        "value_source": "calculated",
        "rollup_method": "sum",
        "order": 0,
    }
    url = reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, response_measure.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with scope(organization=org_a.org):
        assert MeasureValue.objects.get(measure=response_measure).value == D("11.0")
        assert MeasureValue.objects.get(measure=response_measure).history.count() == 3


def test_archiving_an_objective_takes_its_results_out_of_the_roll_up(
    client, org_a, okr, kr_response, response_measure
):
    """Its results leave the measure's roll-up (values recomputed at once), take no check-in
    until it is restored, and come back with it."""
    import datetime as dt
    from decimal import Decimal as D

    from okrs import checkins
    from okrs.checkins import CheckInEntry
    from scorecards.models import MeasureValue

    def values():
        with scope(organization=org_a.org):
            return dict(
                MeasureValue.objects.filter(measure=response_measure).values_list("period", "value")
            )

    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6")),
        )
    fed = {dt.date(2026, 11, 1): D("8.6")}
    assert values() == fed
    archive = reverse("okrs:archive", args=["alpha", "objective", okr.pk])
    client.force_login(org_a.editor)
    assert client.post(archive).status_code == 302
    assert values() == {}

    client.force_login(org_a.contributor)  # the result's owner
    prefix = f"kr{kr_response.pk}-"
    response = client.post(
        reverse("okrs:checkin", args=["alpha", kr_response.pk]),
        {prefix + "as_of": "2026-11-21", prefix + "value": "8.1", prefix + "confidence": "7"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "This key result is archived (or its objective is)" in response.content.decode()
    page = client.get(reverse("okrs:key_result", args=["alpha", kr_response.pk])).content
    assert b">Check in</a>" not in page and b"Save correction" not in page
    assert values() == {}

    client.force_login(org_a.editor)
    client.post(archive, {"restore": "1"})
    assert values() == fed
    client.force_login(org_a.contributor)
    page = client.get(reverse("okrs:key_result", args=["alpha", kr_response.pk])).content
    assert b">Check in</a>" in page


def test_okr_and_scorecard_edit_pages_are_the_one_form_page(client, org_a, okr, plan_a):
    """Both apps' edit views render ``strategyhub.ui.pages.form_page`` (templates/
    form_page.html): the same page, 400 when the form has errors."""
    from pytest_django.asserts import assertTemplateUsed

    client.force_login(org_a.editor)
    for url in (
        reverse("okrs:objective_new", args=["alpha"]),
        reverse("okrs:key_result_new", args=["alpha", okr.pk]),
        reverse("scorecards:objective_new", args=["alpha", plan_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assertTemplateUsed(response, "form_page.html")
        invalid = client.post(url, {"title": ""})
        assert invalid.status_code == 400, url
        assertTemplateUsed(invalid, "form_page.html")
