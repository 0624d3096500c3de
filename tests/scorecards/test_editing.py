"""Building a plan in the app: access rules, validation with messages, refused deletes."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from guardian.shortcuts import assign_perm

from scorecards.models import (
    CausalLink,
    FocusEntry,
    Measure,
    MeasureTarget,
    StrategicObjective,
    StrategicPlan,
)
from scorecards.plans import create_plan
from strategyhub.permissions import UNIT_EDIT_PERMISSION
from strategyhub.roles import Role
from tests.factories import MembershipFactory

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _measure_data(objective, **over):
    data = {
        "objective": objective.pk,
        "name": "Response time",
        "unit_kind": "minutes",
        "decimals": 1,
        "polarity": "lower",
        "baseline_value": "9.2",
        "baseline_date": "2026-06-30",
        "target_value": "7.0",
        "tolerance": "0.3",
        "update_frequency": "monthly",
        "visibility": "public",
        "value_source": "entered",
        "rollup_method": "latest",
        "order": 0,
    }
    data.update(over)
    return data


def _edit_urls(organization, plan, objective, measure):
    slug = organization.org.slug
    return [
        reverse("scorecards:plan_new", args=[slug]),
        reverse("scorecards:plan_edit", args=[slug, plan.pk]),
        reverse("scorecards:objective_new", args=[slug, plan.pk]),
        reverse("scorecards:objective_edit", args=[slug, plan.pk, objective.pk]),
        reverse("scorecards:measure_new", args=[slug, plan.pk]),
        reverse("scorecards:measure_edit", args=[slug, plan.pk, measure.pk]),
        reverse("scorecards:measure_targets", args=[slug, measure.pk]),
        reverse("scorecards:perspective_new", args=[slug, plan.pk]),
        reverse("scorecards:theme_new", args=[slug, plan.pk]),
    ]


def test_edit_pages_access(client, org_a, org_b, plan_a, objective_a, measure_a):
    urls = _edit_urls(org_a, plan_a, objective_a, measure_a)
    for url in urls:
        assert client.get(url).status_code == 302, url  # anonymous → login
    client.force_login(org_b.admin)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(org_a.viewer)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(org_a.editor)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_other_agencys_ids_under_own_slug_are_404(
    client, org_a, org_b, plan_a, objective_a, measure_a
):
    client.force_login(org_b.admin)
    for url in _edit_urls(org_a, plan_a, objective_a, measure_a)[1:]:
        assert client.get(url.replace("/o/alpha/", "/o/beta/")).status_code == 404, url
    for name, arg in [
        ("scorecards:objective_archive", objective_a.pk),
        ("scorecards:objective_delete", objective_a.pk),
        ("scorecards:measure_archive", measure_a.pk),
        ("scorecards:measure_delete", measure_a.pk),
    ]:
        assert client.post(reverse(name, args=["beta", arg])).status_code == 404


def test_contributor_edits_measures_they_own_or_of_a_granted_unit(client, org_a, plan_a, measure_a):
    """README, Roles: a contributor edits what they own or what their units were granted;
    creating is for editors."""
    url = reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, measure_a.pk])
    other = MembershipFactory(organization=org_a.org, role=Role.CONTRIBUTOR).user
    client.force_login(other)
    assert client.get(url).status_code == 403  # neither owner nor granted
    assign_perm(UNIT_EDIT_PERMISSION, other, org_a.team)
    assert client.get(url).status_code == 200
    client.force_login(org_a.contributor)  # measure_a's owner
    assert client.get(url).status_code == 200
    targets = reverse("scorecards:measure_targets", args=["alpha", measure_a.pk])
    assert client.get(targets).status_code == 200
    new = reverse("scorecards:measure_new", args=["alpha", plan_a.pk])
    assert client.get(new).status_code == 403  # creating is for editors


def test_contributor_owner_edits_content_not_arrangement(
    client, org_a, plan_a, objective_a, measure_a
):
    """The owner changes the definition; the owner, the objective, the visibility and the
    value source stay as they were whatever is posted (an editor's decision)."""
    client.force_login(org_a.contributor)
    url = reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, measure_a.pk])
    page = client.get(url).content.decode()
    assert "Editors change this." in page
    data = _measure_data(objective_a, owner=org_a.editor.pk)
    data.update(definition="Counted from the records system.", visibility="internal")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scope(organization=org_a.org):
        measure_a.refresh_from_db()
    assert measure_a.definition == "Counted from the records system."
    assert measure_a.owner == org_a.contributor
    assert measure_a.visibility == "public"


def test_editor_builds_an_objective_and_a_measure(client, org_a, plan_a):
    client.force_login(org_a.editor)
    with scopes_disabled():
        perspective = plan_a.perspectives.get(order=1)
    response = client.post(
        reverse("scorecards:objective_new", args=["alpha", plan_a.pk]),
        {
            "title": "Improve emergency response",
            "perspective": perspective.pk,
            "owner": org_a.contributor.pk,
            "order": 2,
        },
    )
    assert response.status_code == 302
    with scope(organization=org_a.org):
        objective = StrategicObjective.objects.get(title="Improve emergency response")
    response = client.post(
        reverse("scorecards:measure_new", args=["alpha", plan_a.pk]),
        _measure_data(objective, owner=org_a.contributor.pk),
    )
    assert response.status_code == 302
    with scope(organization=org_a.org):
        measure = Measure.objects.get(name="Response time")
        assert measure.history.first().history_user == org_a.editor
    assert measure.target_value == D("7.0")
    page = client.get(reverse("scorecards:measure", args=["alpha", measure.pk])).content.decode()
    history = page.split("History of the measure")[1]
    assert "Created" in history and org_a.editor.display_name in history


def test_measure_form_posts_its_org_unit(client, org_a, org_b, plan_a, objective_a, measure_a):
    """The organisational unit is posted as ``org_unit`` (labelled "Unit"), beside the unit
    of measure (``unit_kind``, ``rate_per``); another agency's unit is refused."""
    client.force_login(org_a.editor)
    url = reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, measure_a.pk])
    body = client.get(url).content.decode()
    assert 'name="org_unit"' in body and 'name="unit"' not in body
    assert 'for="id_org_unit">Unit <span class="usa-hint">(optional)' in body
    response = client.post(url, _measure_data(objective_a, org_unit=org_a.unit.pk))
    assert response.status_code == 302
    with scopes_disabled():
        assert Measure.objects.get(pk=measure_a.pk).org_unit == org_a.unit
    response = client.post(url, _measure_data(objective_a, org_unit=org_b.unit.pk))
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    with scopes_disabled():
        assert Measure.objects.get(pk=measure_a.pk).org_unit == org_a.unit


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"target_value": "9.2"}, "target_value", "equals the baseline"),
        ({"target_value": "11"}, "polarity", "other way from the baseline"),
        ({"baseline_value": "fast"}, "baseline_value", "Enter a number"),
        (
            {"polarity": "range", "target_value": "", "range_low": "2", "range_high": "-2"},
            "range_high",
            "must be above the lowest",
        ),
        ({"polarity": "range", "target_value": ""}, "range_low", "needs its lowest"),
        ({"unit_kind": "rate", "rate_per": ""}, "rate_per", "A rate needs its base"),
        ({"decimals": "9"}, "decimals", "less than or equal to 4"),
    ],
)
def test_measure_form_bad_input(client, org_a, plan_a, objective_a, over, field, message):
    client.force_login(org_a.editor)
    response = client.post(
        reverse("scorecards:measure_new", args=["alpha", plan_a.pk]),
        _measure_data(objective_a, **over),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body, body[:200]
    assert message in body
    with scope(organization=org_a.org):
        assert not Measure.objects.filter(name="Response time").exists()


def test_forged_objective_of_another_agency_is_refused(client, org_a, org_b, plan_a, measure_a):
    with scopes_disabled():
        plan_b = create_plan(org_b.org, title="B", mission="m", vision="v", first_fiscal_year=2026)
        foreign = StrategicObjective.objects.create(
            organization=org_b.org,
            plan=plan_b,
            perspective=plan_b.perspectives.first(),
            title="Foreign",
        )
    client.force_login(org_a.editor)
    response = client.post(
        reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, measure_a.pk]),
        _measure_data(foreign, name="Moved"),
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    with scopes_disabled():
        assert Measure.objects.get(pk=measure_a.pk).objective_id == measure_a.objective_id
    # The model layer refuses it too, whatever the form.
    with scopes_disabled():
        measure_a.objective = foreign
        with pytest.raises(Exception, match="Choose an item of this agency"):
            measure_a.save()


def test_owner_must_be_a_member_of_the_agency(client, org_a, org_b, plan_a, objective_a):
    client.force_login(org_a.editor)
    response = client.post(
        reverse("scorecards:measure_new", args=["alpha", plan_a.pk]),
        _measure_data(objective_a, owner=org_b.viewer.pk),
    )
    assert response.status_code == 400
    assert b"Choose an active member who can update it" in response.content


def test_yearly_targets(client, org_a, measure_a):
    client.force_login(org_a.editor)
    url = reverse("scorecards:measure_targets", args=["alpha", measure_a.pk])
    bad = client.post(url, {"fy2026-floor": "460", "fy2026-stretch": "470"})
    assert bad.status_code == 400
    assert b"more ambitious than the floor" in bad.content
    ok = client.post(url, {"fy2026-floor": "460", "fy2026-stretch": "450", "fy2027-floor": "440"})
    assert ok.status_code == 302
    with scope(organization=org_a.org):
        assert list(MeasureTarget.objects.values_list("fiscal_year", "floor", "stretch")) == [
            (2026, D(460), D(450)),
            (2027, D(440), None),
        ]
    client.post(url, {"fy2026-floor": "460", "fy2026-stretch": "450"})  # clear 2027
    with scope(organization=org_a.org):
        assert MeasureTarget.objects.count() == 1


def test_delete_with_values_or_links_is_refused_archive_works(
    client, org_a, plan_a, objective_a, measure_a
):
    client.force_login(org_a.editor)
    response = client.post(
        reverse("scorecards:measure_delete", args=["alpha", measure_a.pk]), follow=True
    )
    assert b"has values and cannot be deleted" in response.content
    response = client.post(
        reverse("scorecards:objective_delete", args=["alpha", objective_a.pk]), follow=True
    )
    assert b"cannot be deleted because it has measures" in response.content
    client.post(reverse("scorecards:measure_archive", args=["alpha", measure_a.pk]))
    with scope(organization=org_a.org):
        assert Measure.objects.get(pk=measure_a.pk).archived_at is not None
    overview = client.get(reverse("scorecards:plan", args=["alpha"])).content.decode()
    assert reverse("scorecards:measure", args=["alpha", measure_a.pk]) not in overview


def test_strategy_map_links_self_loops_and_cycles(client, org_a, plan_a, objective_a):
    with scopes_disabled():
        perspective = plan_a.perspectives.get(order=4)
        training = StrategicObjective.objects.create(
            organization=org_a.org, plan=plan_a, perspective=perspective, title="Train officers"
        )
    client.force_login(org_a.editor)
    url = reverse("scorecards:strategy_map", args=["alpha", plan_a.pk])
    assert (
        client.post(
            url, {"source": training.pk, "target": objective_a.pk, "pathway": "Skills"}
        ).status_code
        == 302
    )
    itself = client.post(url, {"source": training.pk, "target": training.pk})
    assert itself.status_code == 400 and b"cannot drive itself" in itself.content
    loop = client.post(url, {"source": objective_a.pk, "target": training.pk})
    assert loop.status_code == 400 and b"would close a loop" in loop.content
    again = client.post(url, {"source": training.pk, "target": objective_a.pk})
    assert again.status_code == 400 and b"already on the map" in again.content
    page = client.get(url).content.decode()
    assert '<svg class="sh-map"' in page
    assert "Train officers" in page and "drives" in page  # the text list of links
    with scope(organization=org_a.org):
        link = CausalLink.objects.get()
    client.force_login(org_a.viewer)
    assert (
        client.post(reverse("scorecards:link_delete", args=["alpha", link.pk])).status_code == 403
    )
    client.force_login(org_a.editor)
    client.post(reverse("scorecards:link_delete", args=["alpha", link.pk]))
    with scope(organization=org_a.org):
        assert not CausalLink.objects.exists()


def test_focus_map_grid(client, org_a, plan_a, objective_a):
    client.force_login(org_a.editor)
    url = reverse("scorecards:focus_map", args=["alpha", plan_a.pk])
    field = f"focus-{objective_a.pk}"
    client.post(url, {"year": 2026, f"{field}-1": "high", f"{field}-2": "medium", f"{field}-3": ""})
    with scope(organization=org_a.org):
        assert dict(FocusEntry.objects.values_list("quarter", "level")) == {1: "high", 2: "medium"}
    bad = client.post(url, {"year": 2026, f"{field}-1": "extreme"}, follow=True)
    assert b"Choose High, Medium, Low or blank" in bad.content
    with scope(organization=org_a.org):
        assert dict(FocusEntry.objects.values_list("quarter", "level")) == {1: "high", 2: "medium"}
    client.force_login(org_a.viewer)
    page = client.get(url)
    assert (
        page.status_code == 200
        and b"High" in page.content
        and b"<select" not in page.content.split(b"Focus of")[0][-200:]
    )
    assert client.post(url, {"year": 2026}).status_code == 403


def test_new_plan_gets_the_agency_preset_and_only_one_can_be_active(client, org_a, plan_a):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("scorecards:plan_new", args=["alpha"]),
        {
            "title": "Next plan",
            "mission": "m",
            "vision": "v",
            "first_fiscal_year": 2031,
            "last_fiscal_year": 2035,
            "status": "active",
        },
    )
    assert response.status_code == 400
    assert b"Another plan is active" in response.content
    response = client.post(
        reverse("scorecards:plan_new", args=["alpha"]),
        {
            "title": "Next plan",
            "mission": "m",
            "vision": "v",
            "first_fiscal_year": 2031,
            "last_fiscal_year": 2030,
            "status": "draft",
        },
    )
    assert response.status_code == 400 and b"comes after the first" in response.content
    client.post(
        reverse("scorecards:plan_new", args=["alpha"]),
        {
            "title": "Next plan",
            "mission": "m",
            "vision": "v",
            "first_fiscal_year": 2031,
            "last_fiscal_year": 2035,
            "status": "draft",
        },
    )
    with scope(organization=org_a.org):
        draft = StrategicPlan.objects.get(title="Next plan")
        assert draft.perspectives.count() == 5
    assert (
        client.get(reverse("scorecards:plan_detail", args=["alpha", draft.pk])).status_code == 200
    )
