"""Staff pages of the execution layer, under /o/<org_slug>/okrs/."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from okrs import calc
from okrs.charts import LEGEND as KR_LEGEND
from okrs.charts import kr_chart
from okrs.forms import CheckInForm
from okrs.models import CheckIn, Cycle, CycleKind, KeyResult, OkrObjective
from okrs.services import (
    CARD_RELATED,
    STATUS_FIELDS,
    CheckInRefused,
    current_quarter_or_create,
    discipline_warnings,
    kr_state,
    latest_measure_values,
    load_card_data,
    measure_value_after,
    my_key_results,
    objective_score_of,
    record_checkin,
    with_card_data,
)
from okrs.views_edit import can_edit_objective
from scorecards.calc import format_number
from strategyhub import pagecache
from strategyhub.models import Membership, Unit
from strategyhub.permissions import Action, require


def can_check_in(perms, kr: KeyResult) -> bool:
    """Editors and admins; the result's owner unless a viewer; contributors granted its unit
    (the grant is looked up only when the other rules do not already decide)."""
    if perms.can(Action.EDIT_ALL_OKRS):
        return True
    if not perms.can(Action.CHECK_IN_OWN):
        return False
    if kr.owner_id == perms.membership.user_id:
        return True
    unit_id = kr.objective.unit_id
    return unit_id is not None and unit_id in perms.editable_among({unit_id})


def _card(kr: KeyResult, today, latest_value, form=None, saved=None) -> dict:
    """One key result's check-in card; ``kr`` comes from ``with_card_data``."""
    readings = [c.reading() for c in kr.checkins.all()]
    objective_score = objective_score_of(kr.objective.live_key_results)
    return {
        "kr": kr,
        "state": kr_state(kr, readings, kr.objective.cycle, today),
        "last": readings[-1] if readings else None,
        "form": form or CheckInForm(key_result=kr, today=today),
        "objective_score": None if objective_score is None else format_number(objective_score, 2),
        "measure_value": latest_value,
        "saved": saved,
    }


@require(Action.VIEW)
def my_checkins(request, org_slug: str):
    def build() -> dict:
        organization = request.organization
        today = organization.today()
        cycle = current_quarter_or_create(organization, today)
        key_results = list(my_key_results(request.user, today))
        latest = latest_measure_values(key_results)
        return {
            "cards": [_card(kr, today, latest.get(kr.measure_id)) for kr in key_results],
            "today": today,
            "cycle": cycle,
        }

    return pagecache.render_cached(request, "okrs/my_checkins.html", build, per_user=True)


@require(Action.VIEW)
@require_POST
def checkin(request, org_slug: str, key_result_id: int):
    kr = get_object_or_404(KeyResult.objects.select_related(*CARD_RELATED), pk=key_result_id)
    kr.organization = request.organization  # the scope guarantees it is this agency's
    if not can_check_in(request.perms, kr):
        raise PermissionDenied
    today = request.organization.today()
    form = CheckInForm(request.POST, key_result=kr, today=today)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = record_checkin(
                kr,
                author=request.user,
                as_of=data["as_of"],
                value=data.get("value"),
                done=data.get("done"),
                rubric=data.get("rubric_score"),
                confidence=data.get("confidence"),
                moved=data["moved"],
                blockers=data["blockers"],
                next_step=data["next_step"],
                evidence=data["evidence"],
            )
        except CheckInRefused as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    if saved and not request.htmx:
        messages.success(request, f"Check-in saved for “{kr.title}”.")
        return redirect("okrs:my_checkins", org_slug)
    load_card_data(kr)  # current value and score were updated in memory with the save
    latest = (
        measure_value_after(kr, saved, today)
        if saved
        else latest_measure_values([kr]).get(kr.measure_id)
    )
    card = _card(kr, today, latest, form=None if saved else form, saved=saved)
    status = 200 if saved else 400
    if request.htmx:
        return render(request, "okrs/my_checkins.html#kr-card", {"card": card}, status=status)
    return render(
        request,
        "okrs/my_checkins.html",
        {"cards": [card], "today": today, "cycle": kr.objective.cycle},
        status=status,
    )


# --- Cycle overview -------------------------------------------------------------------------

LEVEL_ORDER = {"agency": 0, "unit": 1, "team": 2, "individual": 3}


@require(Action.VIEW)
def cycle_overview(request, org_slug: str, cycle_id: int | None = None):
    return pagecache.render_cached(
        request, "okrs/cycle.html", lambda: _cycle_context(request, cycle_id)
    )


def _cycle_context(request, cycle_id: int | None) -> dict:
    organization = request.organization
    today = organization.today()
    current = current_quarter_or_create(organization, today)
    cycles = list(Cycle.objects.filter(kind=CycleKind.QUARTER).order_by("start"))
    if cycle_id is not None:
        cycle = next((c for c in cycles if c.pk == cycle_id), None)
        if cycle is None:
            raise Http404("No such cycle.")
    else:
        cycle = next(c for c in cycles if c.pk == current.pk)
    objectives = list(
        OkrObjective.objects.filter(cycle=cycle, archived_at=None)
        .select_related("owner", "unit", "strategic_objective")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.only(*STATUS_FIELDS)))
        .order_by("order", "title")
    )
    unit_filter = request.GET.get("unit", "")
    owner_filter = request.GET.get("owner", "")
    as_of = min(today, cycle.end)
    rows = {o.pk: _objective_row(o, cycle, as_of) for o in objectives}
    roots = []
    for objective in objectives:
        if objective.parent_id in rows:
            rows[objective.parent_id]["children"].append(rows[objective.pk])
        else:
            roots.append(rows[objective.pk])

    def keep(row) -> bool:
        objective = row["objective"]
        return (not unit_filter or str(objective.unit_id) == unit_filter) and (
            not owner_filter or str(objective.owner_id) == owner_filter
        )

    flat: list[dict] = []

    def walk(row, depth):
        row["depth"] = min(depth, 4)
        if keep(row):
            flat.append(row)
        for child in row["children"]:
            walk(child, depth + 1)

    for row in sorted(roots, key=lambda r: LEVEL_ORDER[r["objective"].level]):
        walk(row, 0)
    linked = sum(1 for o in objectives if o.strategic_objective_id)
    counts: dict[str, int] = defaultdict(int)
    for row in rows.values():
        counts[row["status"]] += 1
    return {
        "cycle": cycle,
        "cycles": cycles,
        "rows": flat,
        "units": list(Unit.objects.order_by("name")),
        "owners": list(
            Membership.objects.filter(is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        ),
        "unit_filter": unit_filter,
        "owner_filter": owner_filter,
        "linked": linked,
        "total": len(objectives),
        "status_summary": [(s.value, calc.STATUS_LABELS[s], counts.get(s, 0)) for s in calc.Status],
        "warnings": discipline_warnings(objectives),
        "can_create": request.perms.can(Action.EDIT_ALL_OKRS) and not cycle.is_closed,
    }


def _objective_row(objective: OkrObjective, cycle: Cycle, as_of) -> dict:
    krs = [kr for kr in objective.key_results.all() if kr.archived_at is None]
    statuses = [
        calc.status_from_score(kr.spec(), kr.score, cycle.start, cycle.end, as_of)
        if kr.current_as_of is not None
        else calc.Status.NO_DATA
        for kr in krs
    ]
    score = objective_score_of(krs)
    return {
        "objective": objective,
        "score": None if score is None else format_number(score, 2),
        "status": calc.objective_status(statuses),
        "kr_count": len(krs),
        "children": [],
    }


# --- Objective and key-result pages ---------------------------------------------------------


def _kr_permissions(request, kr) -> bool:
    return can_check_in(request.perms, kr)


@require(Action.VIEW)
def objective_view(request, org_slug: str, objective_id: int):
    objective = get_object_or_404(
        OkrObjective.objects.select_related(
            "cycle", "owner", "unit", "strategic_objective", "parent", "causal_link"
        ),
        pk=objective_id,
    )
    today = request.organization.today()
    key_results = list(
        with_card_data(KeyResult.objects.filter(objective=objective, archived_at=None)).order_by(
            "order", "pk"
        )
    )
    states = [
        kr_state(kr, [c.reading() for c in kr.checkins.all()], objective.cycle, today)
        for kr in key_results
    ]
    score = objective_score_of(key_results)
    return render(
        request,
        "okrs/objective.html",
        {
            "objective": objective,
            "states": states,
            "score": None if score is None else format_number(score, 2),
            "children": list(objective.children.select_related("owner", "unit")),
            "history": list(objective.history.select_related("history_user")[:15]),
            "can_edit": can_edit_objective(request.perms, objective),
            "warnings": discipline_warnings([objective]),
        },
    )


@require(Action.VIEW)
def key_result_view(request, org_slug: str, key_result_id: int):
    kr = get_object_or_404(
        with_card_data(KeyResult.objects.select_related("owner")), pk=key_result_id
    )
    cycle = kr.objective.cycle
    today = request.organization.today()
    checkins = list(kr.checkins.all())
    readings = [c.reading() for c in checkins]
    may_check_in = _kr_permissions(request, kr) and not cycle.is_closed and not kr.is_archived
    state = kr_state(kr, readings, cycle, today)
    chart = kr_chart(
        title=f"{kr.title}: check-ins",
        start=cycle.start,
        end=cycle.end,
        points=[(c.as_of, c.value) for c in checkins if c.value is not None],
        start_value=kr.start_value if kr.kind == "metric" else None,
        stretch=kr.target_value,
        floor=kr.floor_value,
        forecast=state.forecast,
        fmt=kr.format,
    )
    return render(
        request,
        "okrs/key_result.html",
        {
            "kr": kr,
            "state": state,
            "chart": chart,
            "legend": [
                entry
                for entry in KR_LEGEND
                if not (entry[0].startswith("Floor") and kr.floor_value is None)
                and not (entry[0].startswith("Forecast") and state.forecast is None)
            ],
            "rows": [
                (
                    c,
                    CheckInForm(
                        key_result=kr,
                        today=today,
                        prefix=f"edit{c.pk}",
                        initial={
                            "as_of": c.as_of,
                            "value": c.value,
                            "rubric_score": c.rubric_score,
                            "done": None if c.done is None else ("yes" if c.done else "no"),
                            "confidence": c.confidence,
                            "moved": c.moved,
                            "blockers": c.blockers,
                            "next_step": c.next_step,
                            "evidence": c.evidence,
                        },
                    )
                    if may_check_in
                    else None,
                )
                for c in sorted(checkins, key=lambda c: (c.as_of, c.updated_at), reverse=True)
            ],
            "can_check_in": may_check_in,
            "history": list(
                CheckIn.history.filter(key_result_id=kr.pk)
                .select_related("history_user")
                .order_by("-history_date")[:30]
            ),
        },
    )


@require(Action.VIEW)
@require_POST
def checkin_edit(request, org_slug: str, key_result_id: int, checkin_id: int):
    """Correct an earlier check-in; its earlier version stays in the history."""
    kr = get_object_or_404(with_card_data(KeyResult.objects.all()), pk=key_result_id)
    original = get_object_or_404(CheckIn, pk=checkin_id, key_result=kr)
    if not _kr_permissions(request, kr):
        raise PermissionDenied
    form = CheckInForm(
        request.POST,
        key_result=kr,
        today=request.organization.today(),
        prefix=f"edit{original.pk}",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_checkin(
                kr, author=request.user, as_of=data["as_of"], value=data.get("value"),
                done=data.get("done"), rubric=data.get("rubric_score"),
                confidence=data.get("confidence"), moved=data["moved"],
                blockers=data["blockers"], next_step=data["next_step"],
                evidence=data["evidence"], checkin=original,
            )  # fmt: skip
        except CheckInRefused as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else "Check-in"
            messages.error(request, f"{label}: {' '.join(errors)}")
    else:
        messages.success(request, f"The check-in of {original.as_of:%-d %B} was corrected.")
    return redirect("okrs:key_result", org_slug, kr.pk)
