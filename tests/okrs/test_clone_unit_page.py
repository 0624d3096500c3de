"""The page cloning a unit's set of objectives into the next quarter, from the cycle
overview (``okrs.cloning.clone_unit_objectives``)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from okrs import cloning
from okrs.cycles import ensure_cycles, next_quarter
from okrs.models import Cycle, KeyResult, OkrObjective

pytestmark = pytest.mark.usefixtures("clock")


def page(quarter):
    return reverse("okrs:cycle_clone_unit", args=["alpha", quarter.pk])


@pytest.fixture
def child(org_a, okr, quarter, objective_a):
    with scopes_disabled():
        return OkrObjective.objects.create(
            organization=org_a.org,
            cycle=quarter,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title="Child objective",
            strategic_objective=objective_a,
            parent=okr,
        )


def test_the_overview_links_to_it_for_editors(client, org_a, quarter):
    client.force_login(org_a.editor)
    overview = reverse("okrs:cycle_detail", args=["alpha", quarter.pk])
    assert page(quarter) in client.get(overview).content.decode()
    client.force_login(org_a.viewer)
    assert page(quarter) not in client.get(overview).content.decode()


def test_a_unit_set_is_previewed_then_cloned(client, org_a, okr, kr_patrols, child, quarter):
    with scopes_disabled():
        archived = KeyResult.objects.create(
            organization=org_a.org, objective=okr, title="Old result", kind="metric"
        )
        KeyResult.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    client.force_login(org_a.editor)
    chooser = client.get(page(quarter)).content.decode()
    assert org_a.unit.name in chooser and 'name="unit" value=' not in chooser
    preview = client.get(page(quarter), {"unit": org_a.unit.pk}).content.decode()
    assert okr.title in preview and child.title in preview and kr_patrols.title in preview
    assert "Old result" not in preview and 'name="unit" value=' in preview
    response = client.post(page(quarter), {"unit": org_a.unit.pk})
    with scope(organization=org_a.org):
        q3 = next_quarter(quarter)
        assert response.url == reverse("okrs:cycle_detail", args=["alpha", q3.pk])
        parent_clone = cloning.clone_of(okr, q3)
        child_clone = cloning.clone_of(child, q3)
        assert parent_clone and child_clone
        assert child_clone.parent_id == parent_clone.pk  # re-pointed to the parent's clone
        assert [kr.title for kr in parent_clone.key_results.all()] == [kr_patrols.title]
    # A second time: nothing left to clone, said as a message, no form.
    again = client.get(page(quarter), {"unit": org_a.unit.pk}).content.decode()
    assert "Nothing to clone" in again and "Already cloned" in again
    assert 'name="unit" value=' not in again
    response = client.post(page(quarter), {"unit": org_a.unit.pk}, follow=True)
    assert "Nothing to clone" in response.content.decode()
    with scope(organization=org_a.org):
        assert OkrObjective.objects.filter(cycle=q3).count() == 2


def test_a_closed_next_quarter_is_refused_as_a_message(client, org_a, okr, kr_patrols, quarter):
    with scope(organization=org_a.org):
        q3 = next_quarter(quarter)
        Cycle.objects.filter(pk=q3.pk).update(status="closed")
    client.force_login(org_a.editor)
    preview = client.get(page(quarter), {"unit": org_a.unit.pk}).content.decode()
    assert "is closed" in preview and 'name="unit" value=' not in preview
    response = client.post(page(quarter), {"unit": org_a.unit.pk}, follow=True)
    assert "is closed" in response.content.decode()
    with scope(organization=org_a.org):
        assert not OkrObjective.objects.filter(cycle=q3).exists()


def test_who_may_clone_a_unit_set(client, org_a, org_b, okr, quarter):
    url = page(quarter)
    assert client.get(url).url.startswith(reverse("account_login"))
    assert client.post(url, {"unit": org_a.unit.pk}).url.startswith(reverse("account_login"))
    for user in (org_a.viewer, org_a.contributor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"unit": org_a.unit.pk}).status_code == 403
    client.force_login(org_b.admin)
    assert client.get(url).status_code == 404  # another agency's slug
    # Under B's own slug: A's cycle, or B's cycle with A's unit, is not found.
    with scope(organization=org_b.org):
        b_quarter = ensure_cycles(org_b.org, 2026)[2]
    a_cycle_under_b = reverse("okrs:cycle_clone_unit", args=["beta", quarter.pk])
    assert client.get(a_cycle_under_b).status_code == 404
    b_url = reverse("okrs:cycle_clone_unit", args=["beta", b_quarter.pk])
    assert client.get(b_url, {"unit": org_b.unit.pk}).status_code == 200
    assert client.get(b_url, {"unit": org_a.unit.pk}).status_code == 404
    assert client.post(b_url, {"unit": org_a.unit.pk}).status_code == 404
    with scope(organization=org_a.org):
        assert OkrObjective.objects.count() == 1
