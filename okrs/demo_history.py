"""The demo's history in the execution layer (``okrs/demo.py`` seeds it): the quarter before
the running one holds the same police OKRs (DESIGN.md §2), checked in every week over the
whole quarter, then reviewed and closed through the real actions (``okrs.review``), so its
scores, objective scores, review and frozen state are what the product itself makes:

- each objective's review keeps the final score as proposed from its results (the exact
  computed score is stored), says what worked and the lessons, and decides each result by
  how it ended: success (0.7 and above) is complete, a miss is dropped and set afresh in the
  running quarter, and the CIT module (the one unfinished result worth finishing) is
  carried over;
- the admin then closes the quarter: scores frozen, the CIT result created in the running
  quarter by carry-over (starting where it stood, same target).

The running quarter's results whose level carries on (response time, foot patrols, shares
of staff and fleet) start where the closed quarter's ended (``CONTINUING``); counts of the
quarter (events, feedback responses) start again from zero. Every key result's creation time
is its quarter's first moment in the agency's zone (``start_of``): check-ins are owed from
then on (``KeyResult.checkins_expected_from``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from okrs import calc
from okrs import review as reviews
from okrs.cycles import previous_quarter
from okrs.models import Cycle, KeyResult, OkrObjective
from strategyhub.models import User

CARRIED = "Complete a 2-week CIT module for 45 officers"
"""The unfinished result carried over at closing (into the running quarter's objective of
the same title, where ``okrs/demo.py`` does not create it again)."""

# How the closed quarter went, by key result (what differs from the running quarter's plan
# in ``okrs.demo.OKRS``): its pace over the quarter, and whether a milestone got done.
PREVIOUS: dict[str, dict] = {
    "Increase foot patrols by 40%": {"pace": "1.1"},
    "Respond to serious incidents in under 8 min": {"pace": "0.25"},
    "Hold 50 community events in priority zones": {"pace": "0.9"},
    CARRIED: {"pace": "0.5"},
    "Integrate CAD and mobile units by week 8": {"done": True},
    "Train 100% of dispatch staff": {"pace": "1.0"},
    "Deploy mobile units in Wards 5 and 7": {"done": False},
    "Publish a quarterly public-safety dashboard": {"done": True},
    "Body-camera integration for 80% of the patrol fleet": {"pace": "0.8"},
    "A community feedback mechanism with 500 responses": {"pace": "0.4"},
}

CONTINUING = {
    "Increase foot patrols by 40%",
    "Respond to serious incidents in under 8 min",
    "Train 100% of dispatch staff",
    "Body-camera integration for 80% of the patrol fleet",
}
"""Running-quarter results that start from the closed quarter's last value."""

# objective title → (what worked, lessons)
REVIEWS = {
    "Reduce violent crime in priority districts (Wards 5, 7, 8)": (
        "Foot patrols in Wards 5, 7 and 8 grew almost to plan, and the community events "
        "brought residents and officers together every week.",
        "Response times barely moved before the CAD integration: the result is set again "
        "next quarter from where it stands. The CIT module ran behind the academy's "
        "schedule and is carried over with the same target.",
    ),
    "Modernize dispatch and response systems": (
        "CAD and the mobile units were integrated on time; uptime in the pilot precincts "
        "held above 95% all quarter.",
        "The mobile-unit deployment slipped with the vendor's delivery: dropped here and "
        "planned afresh, with its own date, next quarter.",
    ),
    "Strengthen accountability and transparency": (
        "The first public-safety dashboard went out, and residents' feedback cards speak "
        "of respectful contact.",
        "Online feedback drew few responses: next quarter adds paper cards at community "
        "events. Body cameras wait for docking stations, and residents' sense of respect "
        "is not yet where we want it: all three are set again next quarter.",
    ),
}


def start_of(cycle: Cycle) -> dt.datetime:
    """The first moment of the cycle's first day in its agency's time zone: when the demo's
    key results of that cycle were created."""
    return dt.datetime.combine(cycle.start, dt.time.min, tzinfo=cycle.organization.tz)


def quarter_for_history(running: Cycle) -> Cycle | None:
    """The quarter before ``running``, when it can take the demo's history: not closed and
    without the demo OKRs (a demo seeded in an earlier quarter keeps what it made then)."""
    previous = previous_quarter(running)
    titles = list(REVIEWS)
    if previous.is_closed or OkrObjective.objects.filter(cycle=previous, title__in=titles).exists():
        return None
    return previous


def decision_for(kr: KeyResult) -> str:
    """The review's decision on a result by how it ended (see the module's docstring)."""
    if kr.title == CARRIED:
        return "carry_over"
    return "complete" if kr.score >= calc.SUCCESS else "drop"


def review(cycle: Cycle) -> None:
    """Put the quarter into review and review each of its objectives as a reviewer who
    keeps the proposed final score (``okrs.review.proposal_shown``, saved as shown)."""
    reviews.start_review(cycle)
    for objective in OkrObjective.objects.filter(cycle=cycle).select_related("cycle"):
        shown = reviews.proposal_shown(objective, reviews.proposed_score(objective))
        what_worked, lessons = REVIEWS.get(objective.title, ("", ""))
        reviews.review_objective(
            objective,
            final_score=None if shown is None else Decimal(shown),
            what_worked=what_worked,
            lessons=lessons,
            decisions={kr.pk: decision_for(kr) for kr in objective.key_results.all()},
        )


def close(cycle: Cycle, running: Cycle, by: User) -> list[KeyResult]:
    """Close the reviewed quarter (``okrs.review.close_cycle``: scores frozen, carried-over
    results created in ``running``); the carried-over results, created as of the running
    quarter's start (they were planned with it)."""
    reviews.close_cycle(cycle, by=by)
    carried = list(
        KeyResult.objects.filter(
            objective__cycle=running, predecessor__objective__cycle=cycle
        ).select_related("objective__cycle", "owner")
    )
    created_at = start_of(running)
    # A creation time has no action of its own (it is not edited); set as the results'.
    KeyResult.objects.filter(pk__in=[kr.pk for kr in carried]).update(created_at=created_at)
    for kr in carried:
        kr.created_at = created_at
    return carried
