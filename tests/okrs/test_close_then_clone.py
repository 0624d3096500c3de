"""Closing a quarter carries a missed result over into the next one; cloning its objective
into that quarter afterwards must not bring the same result a second time, and closing
after the clone must not carry it over into the clone a second time."""

from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_scopes import scope

from okrs import cloning, review
from okrs.cycles import next_quarter
from okrs.models import KeyResult, OkrObjective
from tests.factories import CycleFactory, KeyResultFactory, OkrObjectiveFactory

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def reviewed(org_a):
    """Q2's "Modernize dispatch" reviewed: one result complete, one to carry over."""
    q2 = CycleFactory(organization=org_a.org)
    objective = OkrObjectiveFactory(cycle=q2, unit=org_a.team, title="Modernize dispatch")
    done = KeyResultFactory(
        objective=objective,
        title="Done",
        current_value=D(100),
        score=D(1),
        review_decision="complete",
    )
    open_ = KeyResultFactory(
        objective=objective,
        title="Open",
        current_value=D(35),
        score=D("0.35"),
        review_decision="carry_over",
        order=1,
    )
    return q2, objective, done, open_


def _q3_results(q3):
    """Q3's results as (title, carried over?)."""
    return sorted(
        (title, predecessor is not None)
        for title, predecessor in KeyResult.objects.filter(objective__cycle=q3).values_list(
            "title", "predecessor_id"
        )
    )


def test_a_result_carried_over_at_closing_is_not_cloned_again(org_a, reviewed):
    q2, objective, done, open_ = reviewed
    with scope(organization=org_a.org):
        review.close_cycle(q2, org_a.admin)
        q3 = next_quarter(q2)
        objective.refresh_from_db()
        cloned = cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor)
        assert _q3_results(q3) == [("Done", False), ("Open", True)]  # "Open" once
        assert [kr.title for kr in cloned.objective.key_results.all()] == ["Done"]
        assert any("Open" in note and "carried over" in note for note in cloned.notes)


def test_a_unit_set_cloned_after_closing_leaves_carried_results_out(org_a, reviewed):
    q2 = reviewed[0]
    with scope(organization=org_a.org):
        review.close_cycle(q2, org_a.admin)
        q3 = next_quarter(q2)
        [cloned] = cloning.clone_unit_objectives(q2, org_a.team, q3, org_a.editor)
        assert _q3_results(q3) == [("Done", False), ("Open", True)]
        assert any("carried over" in note for note in cloned.notes)


def test_a_result_cloned_before_closing_is_not_carried_over_twice(org_a, reviewed):
    """Cloned into Q3 first, then Q2 closed: the result marked "carry over" is in Q3 once
    (the clone), not carried over into the clone a second time, and closing says so."""
    q2, objective, done, open_ = reviewed
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        cloning.clone_objective(objective, q3, [done.pk, open_.pk], org_a.editor)
        closed = review.close_cycle(q2, org_a.admin)
        assert OkrObjective.objects.filter(cycle=q3).count() == 1
        assert _q3_results(q3) == [("Done", False), ("Open", False)]  # the clones only
        assert closed["carried"] == 0
        assert closed["notes"] == [
            f"“Open” was not carried over: it was already cloned into {q3.label}, "
            "in “Modernize dispatch”."
        ]
        assert not KeyResult.objects.filter(predecessor=open_).exists()


def test_a_result_whose_clone_was_archived_is_carried_over(org_a, reviewed):
    """Only a live clone counts: an archived one does not hold the result in Q3, so
    closing carries it over as usual."""
    q2, objective, _done, open_ = reviewed
    with scope(organization=org_a.org):
        q3 = next_quarter(q2)
        cloning.clone_objective(objective, q3, [open_.pk], org_a.editor)
        KeyResult.objects.filter(cloned_from=open_).update(archived_at=timezone.now())
        closed = review.close_cycle(q2, org_a.admin)
        assert closed["carried"] == 1 and closed["notes"] == []
        assert KeyResult.objects.get(predecessor=open_).objective.cycle == q3
