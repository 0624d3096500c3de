"""A clone names its original (``cloned_from``), closing after a clone does not carry the
same result over a second time, and the objective and key-result pages show where each
came from and went (cloned, carried over), within the agency, in bounded queries."""

import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import cloning, review
from okrs.cycles import next_quarter
from okrs.models import Cycle, CycleStatus, KeyResult, OkrObjective
from tests.factories import CycleFactory, KeyResultFactory, OkrObjectiveFactory

# 22 November 2026 (the test clock's default): Q2 of FY 2026 runs, Q3 is next.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def q2_dispatch(org_a):
    """Q2's "Modernize dispatch", reviewed: "Done" complete, "Open" to carry over."""
    q2 = CycleFactory(organization=org_a.org)
    objective = OkrObjectiveFactory(cycle=q2, unit=org_a.team, title="Modernize dispatch")
    done = KeyResultFactory(
        objective=objective, title="Done", score=D(1), review_decision="complete"
    )
    open_ = KeyResultFactory(
        objective=objective,
        title="Open",
        score=D("0.35"),
        current_value=D(35),
        review_decision="carry_over",
        order=1,
    )
    return q2, objective, done, open_


def _page(client, name, pk, slug="alpha"):
    response = client.get(reverse(f"okrs:{name}", args=[slug, pk]))
    assert response.status_code == 200
    return response.content.decode()


def _url(name, pk, slug="alpha"):
    return reverse(f"okrs:{name}", args=[slug, pk])


def _fact(body, label):
    """The <dd> after the <dt> ``label`` on a page (the facts list), or None."""
    start = body.find(f"<dt>{label}</dt>")
    if start < 0:
        return None
    return body[start : body.index("</dd>", start)]


# --- The link ----------------------------------------------------------------------------------


def test_a_clone_names_its_original_and_each_result_its_own(org_a, q2_dispatch):
    q2, objective, done, open_ = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        clone = cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor).objective
        assert clone.cloned_from == objective
        assert list(objective.clones.all()) == [clone]
        copies = {kr.title: kr for kr in clone.key_results.all()}
        assert copies["Done"].cloned_from == done and copies["Open"].cloned_from == open_
        assert all(kr.predecessor_id is None for kr in copies.values())  # not carry-over
        # Audited: the creation record holds the link (and still says so in words).
        born = clone.history.get(history_type="+")
        assert born.cloned_from_id == objective.pk
        assert born.history_change_reason == f"cloned from OKR objective {objective.pk}"
        assert copies["Open"].history.get(history_type="+").cloned_from_id == open_.pk
        # The service's reads go through the field.
        assert cloning.cloned_from(clone) == objective
        assert cloning.clone_of(objective, q3) == clone
        assert cloning.existing_clones([objective.pk], q3) == {objective.pk: clone.pk}


def test_deleting_the_original_keeps_the_clone(org_a, q2_dispatch):
    q2, objective, done, _open = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        clone = cloning.clone_objective(objective, q3, [done.pk], org_a.editor).objective
        objective.delete()
        clone.refresh_from_db()
        assert clone.cloned_from_id is None
        assert clone.key_results.get().cloned_from_id is None


def test_the_migration_recovers_links_from_the_creation_records(org_a, q2_dispatch):
    """0006 reads "cloned from OKR objective 12" / "cloned from key result 34" back into
    the field (and the clone's history rows); an unrecognised reason or a deleted original
    leaves the row empty."""
    migration = importlib.import_module("okrs.migrations.0006_cloned_from")
    q2, objective, done, open_ = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        clone = cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor).objective
        copy_done, copy_open = clone.key_results.order_by("order")
        other = OkrObjectiveFactory(cycle=q3, unit=org_a.team, title="Typed by hand")
    with scopes_disabled():
        OkrObjective.history.filter(id=other.pk).update(history_change_reason="cloned from me")
        # As before the field existed.
        for model in (OkrObjective, KeyResult):
            model.objects.update(cloned_from=None)
            model.history.update(cloned_from=None)
        open_id = open_.pk
        open_.delete()  # the original of one clone is gone
        assert migration.backfill_cloned_from(django_apps, None) == {
            "OkrObjective": 1,
            "KeyResult": 1,
        }
        clone.refresh_from_db()
        copy_done.refresh_from_db()
        copy_open.refresh_from_db()
        other.refresh_from_db()
        assert clone.cloned_from_id == objective.pk
        assert copy_done.cloned_from_id == done.pk
        assert copy_open.cloned_from_id is None  # its original was deleted
        assert other.cloned_from_id is None
        assert set(clone.history.values_list("cloned_from_id", flat=True)) == {objective.pk}
        assert set(copy_open.history.values_list("cloned_from_id", flat=True)) == {open_id}


# --- Closing after a clone ---------------------------------------------------------------------


def test_closing_after_a_clone_carries_nothing_twice_and_says_so(client, org_a, q2_dispatch):
    q2, objective, done, open_ = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor)
        Cycle.objects.filter(pk=q2.pk).update(status=CycleStatus.IN_REVIEW)
    client.force_login(org_a.admin)
    response = client.post(reverse("okrs:cycle_close", args=["alpha", q2.pk]), follow=True)
    body = response.content.decode()
    assert f"{q2.label} is closed: 2 scores frozen, 0 key result(s) carried over" in body
    assert (
        f"“Open” was not carried over: it was already cloned into {q3.label}, "
        "in “Modernize dispatch”." in body
    )
    # The closed quarter's page leads on to the next one.
    assert f'href="{_url("cycle_detail", q3.pk)}">go to the overview of {q3.label}</a>' in body
    with scope(organization=org_a.org):
        assert KeyResult.objects.filter(objective__cycle=q3, title="Open").count() == 1
        assert not KeyResult.objects.filter(predecessor=open_).exists()
        assert OkrObjective.objects.filter(cycle=q3).count() == 1


def test_a_quarter_still_open_offers_no_next_step(client, org_a, q2_dispatch):
    """The next step is shown on a closed quarter only."""
    q2 = q2_dispatch[0]
    client.force_login(org_a.viewer)
    assert "go to the overview of" not in _page(client, "cycle_detail", q2.pk)  # not closed


# --- The pages ---------------------------------------------------------------------------------


def test_the_pages_show_where_a_clone_came_from_and_the_original_where_it_went(
    client, org_a, q2_dispatch
):
    q2, objective, done, open_ = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        clone = cloning.clone_objective(objective, q3, [done.pk], org_a.editor).objective
        copy = clone.key_results.get()
    client.force_login(org_a.viewer)
    page = _page(client, "objective", clone.pk)
    came = _fact(page, "Cloned from")
    assert came is not None
    assert f'href="{_url("objective", objective.pk)}">Modernize dispatch</a>, {q2.label}' in came
    assert _fact(page, "Carried over from") is None and _fact(page, "Cloned into") is None
    went = _fact(_page(client, "objective", objective.pk), "Cloned into")
    assert went is not None and f'href="{_url("objective", clone.pk)}"' in went
    assert q3.label in went
    kr_page = _page(client, "key_result", copy.pk)
    came = _fact(kr_page, "Cloned from")
    assert came is not None
    assert f'href="{_url("key_result", done.pk)}">Done</a> in “Modernize dispatch”, {q2.label}' in (
        came
    )
    went = _fact(_page(client, "key_result", done.pk), "Cloned into")
    assert went is not None and f'href="{_url("key_result", copy.pk)}"' in went
    assert _fact(_page(client, "key_result", open_.pk), "Cloned into") is None  # left behind


def test_the_pages_show_carry_over_both_ways(client, org_a, q2_dispatch):
    q2, objective, done, open_ = q2_dispatch
    with scope(organization=org_a.org):
        review.close_cycle(q2, org_a.admin)
        carried = KeyResult.objects.select_related("objective").get(predecessor=open_)
    client.force_login(org_a.viewer)
    came = _fact(_page(client, "key_result", carried.pk), "Carried over from")
    assert came is not None and f'href="{_url("key_result", open_.pk)}">Open</a>' in came
    went = _fact(_page(client, "key_result", open_.pk), "Carried over into")
    assert went is not None and f'href="{_url("key_result", carried.pk)}">Open</a>' in went
    assert _fact(_page(client, "key_result", done.pk), "Carried over into") is None
    came = _fact(_page(client, "objective", carried.objective_id), "Carried over from")
    assert came is not None and f'href="{_url("objective", objective.pk)}"' in came
    went = _fact(_page(client, "objective", objective.pk), "Carried over into")
    assert went is not None and f'href="{_url("objective", carried.objective_id)}"' in went
    assert _fact(_page(client, "objective", objective.pk), "Cloned into") is None


def test_another_agencys_items_stay_out_of_the_pages(client, org_a, org_b, q2_dispatch):
    """Another agency's pages answer 404, and a link that crossed agencies (made by hand:
    saving one is refused) shows no link or title of the other agency's item."""
    q2, objective, done, _open = q2_dispatch
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        clone = cloning.clone_objective(objective, q3, [done.pk], org_a.editor).objective
        copy = clone.key_results.get()
    with scopes_disabled():
        theirs = OkrObjectiveFactory(
            cycle=CycleFactory(organization=org_b.org),
            unit=org_b.team,
            title="Beta's own objective",
        )
        their_kr = KeyResultFactory(objective=theirs, title="Beta's own result")
        OkrObjective.objects.filter(pk=clone.pk).update(cloned_from=theirs)
        KeyResult.objects.filter(pk=copy.pk).update(cloned_from=their_kr)
        OkrObjective.objects.filter(pk=theirs.pk).update(cloned_from=objective)
        KeyResult.objects.filter(pk=their_kr.pk).update(cloned_from=done)
    client.force_login(org_a.viewer)
    for name, mine, other in (
        ("objective", clone, theirs),
        ("objective", objective, theirs),
        ("key_result", copy, their_kr),
        ("key_result", done, their_kr),
    ):
        body = _page(client, name, mine.pk)
        assert _url(name, other.pk) not in body
        assert other.title not in body
        assert client.get(_url(name, other.pk)).status_code == 404  # B's id under A's slug
    client.force_login(org_b.admin)
    for name, mine in (("objective", clone), ("key_result", copy)):
        assert client.get(_url(name, mine.pk)).status_code == 404  # A's pages for B
        assert client.get(_url(name, mine.pk, slug="beta")).status_code == 404


def test_the_pages_read_their_links_in_bounded_queries(client, org_a, q2_dispatch, cold_pages):
    """However many clones and carried-over results an item has, its page reads them in
    the same number of queries as an item with none."""
    q2, objective, done, open_ = q2_dispatch
    client.force_login(org_a.viewer)
    _page(client, "objective", objective.pk)  # warm the session and caches
    _page(client, "key_result", open_.pk)
    with CaptureQueriesContext(connection) as objective_alone:
        _page(client, "objective", objective.pk)
    with CaptureQueriesContext(connection) as result_alone:
        _page(client, "key_result", open_.pk)
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        for _ in range(6):
            cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor)
        review.close_cycle(q2, org_a.admin)  # "Open" is cloned already: not carried over
        q4 = next_quarter(q3)
        for clone in OkrObjective.objects.filter(cloned_from=objective):
            cloning.clone_objective(clone, q4, [], org_a.editor)
    with CaptureQueriesContext(connection) as objective_linked:
        body = _page(client, "objective", objective.pk)
    assert _count(objective_linked) <= _count(objective_alone), _extra(
        objective_alone, objective_linked
    )
    assert _fact(body, "Cloned into").count("<li>") == 6
    with CaptureQueriesContext(connection) as result_linked:
        body = _page(client, "key_result", open_.pk)
    assert _count(result_linked) <= _count(result_alone), _extra(result_alone, result_linked)
    assert _fact(body, "Cloned into").count("<li>") == 6
    with scope(organization=org_a.org):
        a_clone = OkrObjective.objects.filter(cloned_from=objective).first()
    with CaptureQueriesContext(connection) as clone_page:
        body = _page(client, "objective", a_clone.pk)
    assert _count(clone_page) <= _count(objective_alone), _extra(objective_alone, clone_page)
    assert _fact(body, "Cloned from") is not None and _fact(body, "Cloned into") is not None


# --- The review page -----------------------------------------------------------------------------


def test_each_decision_is_labelled_with_its_result_and_choices(client, org_a, q2_dispatch):
    objective = q2_dispatch[1]
    client.force_login(org_a.admin)
    body = _page(client, "review", objective.pk)
    assert "Decision for “Open”: complete, carry over or drop" in body
    assert "Decision for “Done”: complete, carry over or drop" in body


def _count(captured) -> int:
    """The page's own statements: the session's read depends on whether the shared cache
    still holds it (parallel test workers share Redis), not on the page."""
    return sum(1 for q in captured.captured_queries if '"django_session"' not in q["sql"])


def _extra(alone, linked) -> str:
    """The statements the page with links ran beyond those of the page without (for the
    failure message)."""
    before = [q["sql"] for q in alone.captured_queries]
    extra = [q["sql"] for q in linked.captured_queries]
    for sql in before:
        if sql in extra:
            extra.remove(sql)
    return "extra statements:\n" + "\n".join(sql[:300] for sql in extra)
