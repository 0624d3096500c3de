"""Archiving, restoring and deleting key results and OKR objectives from their pages (each
behind a confirmation page), and cloning an objective into the next quarter."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins, cloning, keyresults
from okrs.checkins import CheckInEntry
from okrs.cycles import next_quarter
from okrs.keyresults import key_result_changed
from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from okrs.rollup import recompute_rollups
from scorecards.models import MeasureValue

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

NOV = dt.date(2026, 11, 1)


def check_in(org_a, kr, day, value):
    return checkins.record(kr, org_a.contributor, CheckInEntry(as_of=day, value=D(value))).checkin


def values():
    return dict(MeasureValue.objects.order_by("period").values_list("period", "value"))


def url(name, kind, pk):
    return reverse(f"okrs:{name}", args=["alpha", kind, pk])


def _objective(org_a, cycle, objective_a, title="Staffing", **kw):
    with scopes_disabled():
        return OkrObjective.objects.create(
            organization=org_a.org,
            cycle=cycle,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title=title,
            strategic_objective=objective_a,
            **kw,
        )


# --- Archive and restore ---------------------------------------------------------------------


def test_a_key_result_is_archived_and_restored_after_confirming(client, org_a, kr_patrols):
    client.force_login(org_a.editor)
    page = client.get(reverse("okrs:key_result", args=["alpha", kr_patrols.pk])).content.decode()
    assert url("archive", "key-result", kr_patrols.pk) in page
    assert url("delete", "key-result", kr_patrols.pk) in page  # no check-ins
    confirm = client.get(url("archive", "key-result", kr_patrols.pk))
    assert confirm.status_code == 200
    assert "Archive the key result" in confirm.content.decode()
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_patrols.pk).archived_at is None  # GET changes nothing
    client.post(url("archive", "key-result", kr_patrols.pk))
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(pk=kr_patrols.pk).archived_at is not None
        objective_page = client.get(
            reverse("okrs:objective", args=["alpha", kr_patrols.objective_id])
        )
        assert "Archived key results" in objective_page.content.decode()
        confirm = client.get(url("archive", "key-result", kr_patrols.pk)).content.decode()
        assert "Restore the key result" in confirm and 'name="restore"' in confirm
        client.post(url("archive", "key-result", kr_patrols.pk), {"restore": "1"})
        kr = KeyResult.objects.get(pk=kr_patrols.pk)
        assert kr.archived_at is None
        states = [h.archived_at is None for h in kr.history.order_by("history_date")]
        assert states == [True, False, True]  # created, archived, restored


def test_an_objective_is_archived_after_confirming(client, org_a, okr):
    client.force_login(org_a.editor)
    page = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    assert url("archive", "objective", okr.pk) in page
    assert (
        "Archive the objective" in client.get(url("archive", "objective", okr.pk)).content.decode()
    )
    client.post(url("archive", "objective", okr.pk))
    with scope(organization=org_a.org):
        assert OkrObjective.objects.get(pk=okr.pk).archived_at is not None
        assert okr.history.count() == 2


# --- Delete ------------------------------------------------------------------------------------


def test_a_key_result_without_check_ins_is_deleted_and_keeps_its_history(
    client, org_a, okr, kr_patrols
):
    client.force_login(org_a.editor)
    assert (
        "Delete the key result"
        in client.get(url("delete", "key-result", kr_patrols.pk)).content.decode()
    )
    response = client.post(url("delete", "key-result", kr_patrols.pk))
    assert response.url == reverse("okrs:objective", args=["alpha", okr.pk])
    with scope(organization=org_a.org):
        assert not KeyResult.objects.filter(pk=kr_patrols.pk).exists()
        deleted = KeyResult.history.filter(id=kr_patrols.pk, history_type="-").get()
        assert deleted.title == kr_patrols.title and deleted.history_user == org_a.editor


def test_a_key_result_with_check_ins_can_only_be_archived(client, org_a, kr_response):
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
    client.force_login(org_a.editor)
    page = client.get(reverse("okrs:key_result", args=["alpha", kr_response.pk])).content.decode()
    assert url("delete", "key-result", kr_response.pk) not in page
    assert url("archive", "key-result", kr_response.pk) in page
    confirm = client.get(url("delete", "key-result", kr_response.pk)).content.decode()
    assert "has check-ins, so it cannot be deleted: archive it instead" in confirm
    assert "Yes, delete it" not in confirm
    # A forged delete is refused with the same message.
    response = client.post(url("delete", "key-result", kr_response.pk), follow=True)
    assert "has check-ins, so it cannot be deleted" in response.content.decode()
    with scope(organization=org_a.org):
        assert KeyResult.objects.filter(pk=kr_response.pk).exists()
        with pytest.raises(keyresults.DeleteRefused):
            keyresults.delete_key_result(kr_response)


def test_an_objective_without_check_ins_is_deleted_with_its_key_results(
    client, org_a, okr, kr_response, kr_patrols, response_measure
):
    client.force_login(org_a.editor)
    page = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    assert url("delete", "objective", okr.pk) in page
    response = client.post(url("delete", "objective", okr.pk))
    assert response.url == reverse("okrs:cycle_detail", args=["alpha", okr.cycle_id])
    with scope(organization=org_a.org):
        assert not OkrObjective.objects.filter(pk=okr.pk).exists()
        assert OkrObjective.history.filter(id=okr.pk, history_type="-").exists()
        assert KeyResult.history.filter(history_type="-").count() == 2
        assert_nightly_recompute_agrees(org_a.org)


def test_an_objective_whose_result_checked_in_or_with_children_is_not_deleted(
    client, org_a, okr, kr_response, quarter, objective_a
):
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
    client.force_login(org_a.editor)
    page = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    assert url("delete", "objective", okr.pk) not in page
    response = client.post(url("delete", "objective", okr.pk), follow=True)
    assert "has check-ins, so the objective cannot be deleted" in response.content.decode()
    parent = _objective(org_a, quarter, objective_a, "Parent")
    _objective(org_a, quarter, objective_a, "Child", parent=parent)
    with scope(organization=org_a.org):
        with pytest.raises(keyresults.DeleteRefused, match="contribute"):
            keyresults.delete_objective(parent)
        assert OkrObjective.objects.filter(pk__in=[okr.pk, parent.pk]).count() == 2


def test_a_closed_cycle_refuses_archive_restore_and_delete(client, org_a, okr, kr_patrols, quarter):
    with scopes_disabled():
        Cycle.objects.filter(pk=quarter.pk).update(status="closed")
    client.force_login(org_a.editor)
    for kind, pk in (("key-result", kr_patrols.pk), ("objective", okr.pk)):
        for name in ("archive", "delete"):
            page = client.get(url(name, kind, pk)).content.decode()
            assert "is closed; its OKRs are frozen" in page and "Yes," not in page
            client.post(url(name, kind, pk))
    with scope(organization=org_a.org):
        kr = KeyResult.objects.get(pk=kr_patrols.pk)
        assert kr.archived_at is None
        with pytest.raises(keyresults.ArchiveRefused):
            keyresults.delete_key_result(kr)
        with pytest.raises(keyresults.ArchiveRefused):
            keyresults.delete_objective(OkrObjective.objects.get(pk=okr.pk))


def assert_nightly_recompute_agrees(org):
    before = values()
    assert recompute_rollups(org) == 0, f"stale roll-up: {before} → {values()}"


def test_deleting_a_result_recomputes_the_measure_it_fed(org_a, okr, kr_response, response_measure):
    """On a score mean a result without check-ins counts as 0: deleting it lifts the value."""
    response_measure.rollup_method = "score_mean"
    response_measure.unit_kind = "percent"
    response_measure.save()
    with scopes_disabled():
        added = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="A mistaken result",
            kind="metric",
            unit_kind="minutes",
            start_value=D("10"),
            target_value=D("8"),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        with transaction.atomic():
            key_result_changed(added, None)
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        assert values() == {NOV: D("50")}
        keyresults.delete_key_result(added)
        assert values() == {NOV: D("100")}
        assert_nightly_recompute_agrees(org_a.org)
        okr.refresh_from_db()
        assert okr.score == D(1)


def test_who_may_archive_and_delete(client, org_a, org_b, okr, kr_patrols):
    targets = [
        url(n, k, pk)
        for n in ("archive", "delete")
        for k, pk in (("key-result", kr_patrols.pk), ("objective", okr.pk))
    ]
    for target in targets:
        assert client.get(target).status_code == 302  # to sign in
    client.force_login(org_b.admin)
    for target in targets:
        assert client.get(target).status_code == 404
    client.force_login(org_a.contributor)  # owns neither the objective nor its unit
    for target in targets:
        assert client.get(target).status_code == 403
        assert client.post(target).status_code == 403
    assert client.get(url("delete", "other", 1)).status_code == 403


# --- Clone -----------------------------------------------------------------------------------


@pytest.fixture
def milestone(org_a, okr):
    with scopes_disabled():
        return KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Open the new dispatch centre",
            kind="milestone",
            due_date=dt.date(2026, 11, 15),
            order=2,
        )


def test_cloning_an_objective_into_the_next_quarter(
    client, org_a, okr, kr_response, kr_patrols, milestone, quarter
):
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "8.0")
        kr_response.refresh_from_db()
    client.force_login(org_a.editor)
    objective_page = client.get(reverse("okrs:objective", args=["alpha", okr.pk])).content.decode()
    clone_url = reverse("okrs:objective_clone", args=["alpha", okr.pk])
    assert clone_url in objective_page
    page = client.get(clone_url).content.decode()
    assert page.count("checked") == 3 and "Q3" in page
    response = client.post(clone_url, {"key_results": [kr_response.pk, milestone.pk]})
    with scope(organization=org_a.org):
        q3 = next_quarter(quarter)
        clone = OkrObjective.objects.get(cycle=q3)
        assert response.url == reverse("okrs:objective", args=["alpha", clone.pk])
        assert (clone.title, clone.unit, clone.owner, clone.strategic_objective_id) == (
            okr.title,
            okr.unit,
            okr.owner,
            okr.strategic_objective_id,
        )
        assert cloning.cloned_from(clone) == okr
        assert cloning.clone_of(okr, q3) == clone
        copies = {kr.title: kr for kr in clone.key_results.all()}
        assert set(copies) == {kr_response.title, milestone.title}
        copy = copies[kr_response.title]
        assert (copy.start_value, copy.target_value, copy.measure_id, copy.weight) == (
            kr_response.start_value,
            kr_response.target_value,
            kr_response.measure_id,
            kr_response.weight,
        )
        assert copy.predecessor is None  # not carry-over
        assert copy.current_value is None and copy.score == 0
        assert not CheckIn.objects.filter(key_result__objective=clone).exists()
        assert copies[milestone.title].due_date == dt.date(2027, 2, 15)
        assert clone.final_score is None and clone.status == "active"


def test_a_clone_is_refused_into_the_same_or_a_closed_cycle(org_a, okr, kr_patrols, quarter):
    with scope(organization=org_a.org):
        with pytest.raises(cloning.CloneRefused, match="its own cycle"):
            cloning.clone_objective(okr, quarter, [kr_patrols.pk], org_a.editor)
        q3 = next_quarter(quarter)
        Cycle.objects.filter(pk=q3.pk).update(status="closed")
        q3.refresh_from_db()
        with pytest.raises(cloning.CloneRefused, match="closed"):
            cloning.clone_objective(okr, q3, [kr_patrols.pk], org_a.editor)
        Cycle.objects.filter(pk=q3.pk).update(status="planning")
        q3.refresh_from_db()
        with pytest.raises(cloning.CloneRefused, match="live key results"):
            cloning.clone_objective(okr, q3, [kr_patrols.pk + 999], org_a.editor)
        assert not OkrObjective.objects.filter(cycle=q3).exists()


def test_an_aligned_parent_is_re_pointed_to_its_clone(org_a, okr, quarter, objective_a):
    parent = okr
    child = _objective(org_a, quarter, objective_a, "Child", parent=parent)
    other_child = _objective(org_a, quarter, objective_a, "Other child", parent=parent)
    with scope(organization=org_a.org):
        q3 = next_quarter(quarter)
        # Cloned before its parent: re-pointed when the parent's clone is made.
        early = cloning.clone_objective(child, q3, [], org_a.editor).objective
        assert early.parent_id == parent.pk  # kept while the parent has no clone
        parent_clone = cloning.clone_objective(parent, q3, [], org_a.editor).objective
        early.refresh_from_db()
        assert early.parent_id == parent_clone.pk
        # Cloned after its parent: aligned to the parent's clone at once.
        late = cloning.clone_objective(other_child, q3, [], org_a.editor).objective
        assert late.parent_id == parent_clone.pk


def test_a_unit_set_is_cloned_parents_first(org_a, okr, kr_patrols, quarter, objective_a):
    child = _objective(org_a, quarter, objective_a, "Child", parent=okr)
    with scope(organization=org_a.org):
        q3 = next_quarter(quarter)
        done = cloning.clone_unit_objectives(quarter, org_a.unit, q3, org_a.editor)
        assert [c.objective.title for c in done] == [okr.title, child.title]
        parent_clone, child_clone = (c.objective for c in done)
        assert child_clone.parent_id == parent_clone.pk
        assert [kr.title for kr in parent_clone.key_results.all()] == [kr_patrols.title]
        assert cloning.clone_unit_objectives(quarter, org_a.unit, q3, org_a.editor) == []


def test_who_may_clone(client, org_a, org_b, okr):
    clone_url = reverse("okrs:objective_clone", args=["alpha", okr.pk])
    assert client.get(clone_url).status_code == 302
    client.force_login(org_b.admin)
    assert client.get(clone_url).status_code == 404
    client.force_login(org_a.contributor)
    assert client.get(clone_url).status_code == 403
    assert client.post(clone_url).status_code == 403
