"""Page reads of the execution layer: the cycle overview's tree, the objective and
key-result pages, the cascade coverage, the results feeding a measure and the clone
preview. Each read loads what its page shows in a fixed number of queries. The check-in
cards are ``okrs.cards``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from okrs import calc, cloning
from okrs.cards import with_card_data
from okrs.discipline import Result, discipline_warnings, warnings_of
from okrs.keyresults import (
    kr_state,
    objective_score_of,
    score_of_record,
)
from okrs.models import CheckIn, Cycle, CycleKind, KeyResult, OkrObjective
from scorecards.models import Measure
from strategyhub.models import Membership, Unit
from strategyhub.status import Status
from strategyhub.ui.formatting import format_percent_share, format_score

LEVEL_ORDER = {"agency": 0, "unit": 1, "team": 2, "individual": 3}


# --- Cycle overview -------------------------------------------------------------------------


def quarters() -> list[Cycle]:
    """The agency's quarters, oldest first."""
    return list(Cycle.objects.filter(kind=CycleKind.QUARTER).order_by("start"))


def cycles_by_year() -> list[Cycle]:
    """The agency's cycles for the cycle switcher, oldest first: each fiscal year's annual
    cycle beside (before) its four quarters."""
    return sorted(
        Cycle.objects.all(),
        key=lambda c: (c.fiscal_year, c.kind != CycleKind.ANNUAL, c.quarter or 0),
    )


def unit_choices() -> list[tuple[int, str]]:
    """Units as (id, name), by name, for the unit filter."""
    return list(Unit.objects.order_by("name").values_list("pk", "name"))


def owner_choices() -> list[tuple[int, str]]:
    """Active members as (user id, name or email), by name, for the owner filter: rows,
    not instances (a large agency has hundreds of members)."""
    return [
        (user_id, full_name or email)
        for user_id, full_name, email in Membership.objects.filter(is_active=True)
        .order_by("user__full_name", "user__email")
        .values_list("user_id", "user__full_name", "user__email")
    ]


@dataclass
class TreeRow:
    """One objective of the cycle overview, read as a row (no model instances: a large
    agency has hundreds of objectives and a thousand results a quarter)."""

    pk: int
    title: str
    is_draft: bool
    level: str
    level_label: str
    parent_id: int | None
    unit_id: int | None
    unit_name: str
    owner_id: int | None
    owner_name: str  # empty without an owner
    strategic_objective_id: int | None
    strategic_title: str
    # The objective's score of record (``score_of_record``: the reviewed final score, else
    # the stored computed one), unrounded: for the score bar; ``score`` formats it.
    score_value: Decimal | None = None
    status: Status = Status.NO_DATA
    kr_count: int = 0
    depth: int = 0
    children: list[TreeRow] = field(default_factory=list)

    @property
    def score(self) -> str | None:
        """The score of record as shown (``format_score``): formatted for the rows a page
        shows, not for every objective of the cycle."""
        return format_score(self.score_value)


TREE_ROWS_PER_PAGE = 60


def cycle_overview(
    cycle: Cycle,
    today: dt.date,
    *,
    unit_filter: str,
    owner_filter: str,
    status_filter: str = "",
    page: str | int | None = None,
) -> dict:
    """The cycle's live objectives as a tree (parents first, by level; depth capped at 4)
    flattened to the rows the filters keep (unit, owner, status), ``TREE_ROWS_PER_PAGE`` a
    page, with each one's score of record (``score_of_record``) and its status from its
    results' stored scores (the pace depends on the date: computed here), the status counts,
    the strategy links and the discipline warnings. Three queries: objectives, results and
    units' names, as rows."""
    # Each level's word translated once, not once per objective.
    levels = {
        value: str(label) for value, label in OkrObjective._meta.get_field("level").flatchoices
    }
    rows: dict[int, TreeRow] = {}
    for (
        pk,
        title,
        status,
        level,
        parent_id,
        unit_id,
        unit_name,
        owner_id,
        owner_name,
        owner_email,
        strategic_id,
        strategic_title,
        score,
        final_score,
    ) in (
        OkrObjective.objects.filter(cycle=cycle, archived_at=None)
        .order_by("order", "title")
        .values_list(
            "pk",
            "title",
            "status",
            "level",
            "parent_id",
            "unit_id",
            "unit__name",
            "owner_id",
            "owner__full_name",
            "owner__email",
            "strategic_objective_id",
            "strategic_objective__title",
            "score",
            "final_score",
        )
    ):
        of_record = score_of_record(score, status=status, final_score=final_score)
        rows[pk] = TreeRow(
            pk=pk,
            title=title,
            is_draft=status == "draft",
            level=level,
            level_label=levels.get(level, level),
            parent_id=parent_id,
            unit_id=unit_id,
            unit_name=unit_name or "",
            owner_id=owner_id,
            owner_name=(owner_name or owner_email or "") if owner_id else "",
            strategic_objective_id=strategic_id,
            strategic_title=strategic_title or "",
            score_value=of_record,
        )
    as_of = min(today, cycle.end)
    no_data = Status.NO_DATA
    status_of = calc.stored_status_judge(cycle.start, cycle.end, as_of)
    statuses: dict[int, list[Status]] = defaultdict(list)
    results: dict[int, list[Result]] = defaultdict(list)
    for objective_id, kind, due, kr_score, as_of_kr, title, feeds, counter in (
        KeyResult.objects.filter(objective_id__in=rows, archived_at=None)
        .order_by()
        .values_list(
            "objective_id",
            "kind",
            "due_date",
            "score",
            "current_as_of",
            "title",
            "measure_id",
            "is_counterweight",
        )
    ):
        # Locals: a thousand results a quarter go through this loop on every view.
        statuses[objective_id].append(
            status_of(kind, due, kr_score) if as_of_kr is not None else no_data
        )
        results[objective_id].append(Result(kind, title, feeds, counter))
    roots = []
    for row in rows.values():
        row.status = calc.objective_status(statuses[row.pk])
        row.kr_count = len(statuses[row.pk])
        if row.parent_id in rows:
            rows[row.parent_id].children.append(row)
        else:
            roots.append(row)

    def keep(row: TreeRow) -> bool:
        return (
            (not unit_filter or str(row.unit_id) == unit_filter)
            and (not owner_filter or str(row.owner_id) == owner_filter)
            and (not status_filter or row.status == status_filter)
        )

    flat: list[TreeRow] = []

    def walk(row: TreeRow, depth: int) -> None:
        row.depth = min(depth, 4)
        if keep(row):
            flat.append(row)
        for child in row.children:
            walk(child, depth + 1)

    for row in sorted(roots, key=lambda r: LEVEL_ORDER[r.level]):
        walk(row, 0)
    counts: dict[str, int] = defaultdict(int)
    for row in rows.values():
        counts[row.status] += 1
    return {
        "rows_page": Paginator(flat, TREE_ROWS_PER_PAGE).get_page(page),
        "shown": len(flat),
        "linked": sum(1 for row in rows.values() if row.strategic_objective_id),
        "total": len(rows),
        "status_summary": [(s.value, s.label, counts.get(s, 0)) for s in calc.STATUSES],
        "warnings": warnings_of(
            (row.title, row.unit_name, row.strategic_objective_id, results[row.pk])
            for row in rows.values()
        ),
    }


def cascade_coverage(cycle: Cycle) -> dict:
    """How far the cycle's objectives cascade: unit objectives aligned to no agency
    objective (no parent, or a parent below agency level), agency objectives without unit
    objectives under them, and the share of objectives linked to strategy, directly or
    through their chain of aligned parents (which may sit in an earlier cycle, e.g. an
    annual one)."""
    objectives = list(
        OkrObjective.objects.filter(cycle=cycle, archived_at=None).select_related(
            "unit", "owner", "strategic_objective"
        )
    )
    # Every objective of the parent chains: (parent id, level, linked to strategy).
    nodes: dict[int, tuple[int | None, str, bool]] = {
        o.pk: (o.parent_id, o.level, o.strategic_objective_id is not None) for o in objectives
    }
    asked: set[int] = set()
    wanted = {parent for parent, _, _ in nodes.values() if parent and parent not in nodes}
    while wanted:  # one query per level of the chains above the cycle's objectives
        asked |= wanted
        for pk, parent_id, level, strategic_id in OkrObjective.objects.filter(
            pk__in=wanted
        ).values_list("pk", "parent_id", "level", "strategic_objective_id"):
            nodes[pk] = (parent_id, level, strategic_id is not None)
        wanted = {parent for parent, _, _ in nodes.values() if parent and parent not in asked}
        wanted -= nodes.keys()

    def linked_through_chain(pk: int) -> bool:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current in nodes and current not in seen:
            seen.add(current)
            parent_id, _, is_linked = nodes[current]
            if is_linked:
                return True
            current = parent_id
        return False

    children_levels: dict[int, set[str]] = defaultdict(set)
    for objective in objectives:
        if objective.parent_id:
            children_levels[objective.parent_id].add(objective.level)
    agency_without_units = [
        o for o in objectives if o.level == "agency" and "unit" not in children_levels[o.pk]
    ]
    unit_unaligned = [
        o
        for o in objectives
        if o.level == "unit"
        and (o.parent_id is None or nodes.get(o.parent_id, (None, "", False))[1] != "agency")
    ]
    linked = sum(1 for o in objectives if linked_through_chain(o.pk))
    return {
        "objectives": len(objectives),
        "linked": linked,
        "linked_share": format_percent_share(
            Decimal(linked) / Decimal(len(objectives)) if objectives else None
        ),
        "agency_without_units": agency_without_units,
        "unit_unaligned": unit_unaligned,
    }


# --- Objective and key-result pages ---------------------------------------------------------


def objectives_for_page() -> QuerySet[OkrObjective]:
    """Objectives with what the objective page shows of them."""
    return OkrObjective.objects.select_related(
        "cycle", "owner", "unit", "strategic_objective", "parent", "causal_link"
    )


def objective_page(objective: OkrObjective, today: dt.date) -> dict:
    """The objective page's reads: its live results' states, its score, its children, its
    recent history, where it was cloned or carried over from and into, and its discipline
    warnings."""
    key_results = list(
        with_card_data(KeyResult.objects.filter(objective=objective, archived_at=None)).order_by(
            "order", "pk"
        )
    )
    score = objective_score_of(key_results)
    of_record = score_of_record(score, status=objective.status, final_score=objective.final_score)
    return {
        "states": [
            kr_state(kr, [c.reading() for c in kr.checkins.all()], objective.cycle, today)
            for kr in key_results
        ],
        "score": format_score(of_record),
        "score_value": of_record,
        "computed_score": format_score(score),
        "score_is_final": of_record is not score,  # the reviewed final score is shown
        "children": list(objective.children.select_related("owner", "unit")),
        "history": list(objective.history.select_related("history_user")[:15]),
        "lineage": objective_lineage(objective),
        "warnings": discipline_warnings([objective]),
        "archived_key_results": list(
            KeyResult.objects.filter(objective=objective, archived_at__isnull=False).only(
                "title", "archived_at"
            )
        ),
    }


def key_results_for_page() -> QuerySet[KeyResult]:
    """Key results with what the key-result page shows of them (card data and owner)."""
    return with_card_data(KeyResult.objects.select_related("owner"))


# Where an objective or a key result came from and went: cloned (``cloned_from``,
# ``okrs.cloning``) and carried over at closing (``KeyResult.predecessor``,
# ``okrs.review.close_cycle``). Each page reads them in one query, of its own agency.
LINEAGE_LABELS = (
    ("cloned_from", "Cloned from"),
    ("carried_from", "Carried over from"),
    ("cloned_into", "Cloned into"),
    ("carried_into", "Carried over into"),
)


def _lineage(found: dict[str, list]) -> list[tuple[str, list]]:
    """(label, items) for each kind of link that has items, in ``LINEAGE_LABELS`` order."""
    return [(label, found[kind]) for kind, label in LINEAGE_LABELS if found[kind]]


def key_result_lineage(kr: KeyResult) -> list[tuple[str, list[KeyResult]]]:
    """The results ``kr`` was cloned from or carried over from, and those cloned or
    carried over from it (with their objective and cycle), in one query."""
    sources = [pk for pk in (kr.cloned_from_id, kr.predecessor_id) if pk is not None]
    related = (
        KeyResult.objects.filter(organization_id=kr.organization_id)
        .filter(Q(pk__in=sources) | Q(cloned_from=kr.pk) | Q(predecessor=kr.pk))
        .exclude(pk=kr.pk)
        .select_related("objective__cycle")
        .order_by("objective__cycle__start", "pk")
    )
    found: dict[str, list] = {kind: [] for kind, _ in LINEAGE_LABELS}
    for other in related:
        if other.pk == kr.cloned_from_id:
            found["cloned_from"].append(other)
        if other.pk == kr.predecessor_id:
            found["carried_from"].append(other)
        if other.cloned_from_id == kr.pk:
            found["cloned_into"].append(other)
        if other.predecessor_id == kr.pk:
            found["carried_into"].append(other)
    return _lineage(found)


def objective_lineage(objective: OkrObjective) -> list[tuple[str, list[OkrObjective]]]:
    """The objective ``objective`` was cloned from, its clones, and the objectives results
    were carried over from into it or from it into (at closing), with their cycles, in one
    query."""
    # Results carried over into this objective (their predecessors' objectives), and from it.
    carried_from = KeyResult.objects.filter(successor__objective=objective.pk)
    carried_into = KeyResult.objects.filter(predecessor__objective=objective.pk)
    wanted = (
        Q(cloned_from=objective.pk)
        | Q(pk__in=carried_from.values("objective_id"))
        | Q(pk__in=carried_into.values("objective_id"))
    )
    if objective.cloned_from_id is not None:
        wanted |= Q(pk=objective.cloned_from_id)
    related = (
        OkrObjective.objects.filter(wanted, organization_id=objective.organization_id)
        .exclude(pk=objective.pk)
        .annotate(
            is_carried_from=Exists(carried_from.filter(objective=OuterRef("pk"))),
            is_carried_into=Exists(carried_into.filter(objective=OuterRef("pk"))),
        )
        .select_related("cycle")
        .order_by("cycle__start", "pk")
    )
    found: dict[str, list] = {kind: [] for kind, _ in LINEAGE_LABELS}
    for other in related:
        if other.pk == objective.cloned_from_id:
            found["cloned_from"].append(other)
        if other.cloned_from_id == objective.pk:
            found["cloned_into"].append(other)
        if other.is_carried_from:
            found["carried_from"].append(other)
        if other.is_carried_into:
            found["carried_into"].append(other)
    return _lineage(found)


def checkin_history(kr: KeyResult, limit: int = 30) -> list:
    """The latest changes to the result's check-ins (who, when, what), newest first."""
    return list(
        CheckIn.history.filter(key_result_id=kr.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


# --- A measure's page -----------------------------------------------------------------------

SEVERITY = [Status.OFF_TRACK, Status.AT_RISK, Status.NO_DATA, Status.ON_TRACK]


@dataclass
class FeedingState:
    """A key result feeding a measure, as the measure's page lists it: from the result's
    stored state (``refresh_key_result`` keeps ``score`` and ``current_as_of`` with every
    check-in), so the page reads no check-in."""

    key_result: KeyResult
    score: Decimal
    status: Status

    @property
    def score_text(self) -> str:
        return format_score(self.score)


def feeding_states(measure: Measure, today: dt.date) -> list[FeedingState]:
    """The live key results feeding ``measure``, worst first (status, then score): the
    score of record (frozen once the cycle is closed) and the status of the stored score,
    by the rules of ``okrs.calc`` (no check-in yet: no data)."""
    key_results = KeyResult.objects.filter(measure=measure, archived_at=None).select_related(
        "objective", "objective__cycle", "owner"
    )
    states = []
    for kr in key_results:
        cycle = kr.objective.cycle
        frozen = kr.frozen_score if cycle.is_closed else None
        status = (
            Status.NO_DATA
            if kr.current_as_of is None
            else calc.status_of_stored_score(
                kr.kind, kr.due_date, kr.score, cycle.start, cycle.end, min(today, cycle.end)
            )
        )
        states.append(FeedingState(kr, frozen if frozen is not None else kr.score, status))
    states.sort(key=lambda s: (SEVERITY.index(s.status), s.score))
    return states


def unit_clone_preview(cycle: Cycle, unit: Unit | None, into_cycle: Cycle) -> list[dict]:
    """What cloning ``unit``'s objectives of ``cycle`` into ``into_cycle`` would bring
    (``okrs.cloning.clone_unit_objectives``): each live objective, parents first, with its
    live key results and the clone it already has there (then skipped), if any."""
    objectives = cloning.unit_objectives(cycle, unit)
    prefetch_related_objects(
        objectives,
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.filter(archived_at=None).order_by("order", "pk"),
            to_attr="live_key_results",
        ),
    )
    done = cloning.existing_clones([o.pk for o in objectives], into_cycle)
    clones = OkrObjective.objects.in_bulk(list(done.values()))
    return [
        {
            "objective": o,
            "key_results": o.live_key_results,  # type: ignore[attr-defined]
            "existing": clones.get(done.get(o.pk, 0)),
        }
        for o in objectives
    ]
