"""Creating, editing and archiving OKR objectives and key results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from okrs.forms import KeyResultForm, OkrObjectiveForm, ReviewForm
from okrs.models import Cycle, KeyResult, OkrObjective
from okrs.services import (
    CycleActionRefused,
    cascade_coverage,
    close_cycle,
    key_result_changed,
    objective_archive_changed,
    objective_score_of,
    reopen_cycle,
    review_objective,
    rollup_inputs,
)
from strategyhub.permissions import Action, require


def can_edit_objective(perms, objective: OkrObjective | None) -> bool:
    """Editors and admins edit every OKR; a contributor edits the objectives they own and
    those of units they were granted."""
    if perms.can(Action.EDIT_ALL_OKRS):
        return True
    if not perms.can(Action.CHECK_IN_OWN) or objective is None:
        return False
    return objective.owner_id == perms.membership.user_id or perms.can_edit_unit(objective.unit_id)


def _page(request, form, title, back_url):
    return render(
        request,
        "scorecards/edit.html",
        {"form": form, "title": title, "back_url": back_url},
        status=400 if form.errors else 200,
    )


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def objective_edit(request, org_slug: str, objective_id: int | None = None):
    objective = get_object_or_404(OkrObjective, pk=objective_id) if objective_id else None
    if objective is None and not request.perms.can(Action.EDIT_ALL_OKRS):
        raise PermissionDenied
    if objective is not None and not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    if objective is not None and objective.cycle.is_closed:
        messages.error(request, f"{objective.cycle.label} is closed; reopen it to edit.")
        return redirect("okrs:objective", org_slug, objective.pk)
    initial = {}
    if objective is None and request.GET.get("cycle"):
        initial["cycle"] = request.GET["cycle"]
    form = OkrObjectiveForm(
        request.POST or None, instance=objective, initial=initial, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"The objective “{saved.title}” was saved.")
        return redirect("okrs:objective", org_slug, saved.pk)
    back = (
        reverse("okrs:objective", args=[org_slug, objective.pk])
        if objective
        else reverse("okrs:cycle", args=[org_slug])
    )
    return _page(
        request, form, f"Edit “{objective.title}”" if objective else "New OKR objective", back
    )


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def key_result_edit(request, org_slug: str, objective_id: int, key_result_id: int | None = None):
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=objective_id)
    key_result = (
        get_object_or_404(KeyResult, pk=key_result_id, objective=objective)
        if key_result_id
        else None
    )
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    if objective.cycle.is_closed:
        messages.error(request, f"{objective.cycle.label} is closed; reopen it to edit.")
        return redirect("okrs:objective", org_slug, objective.pk)
    before = rollup_inputs(key_result) if key_result else None
    form = KeyResultForm(
        request.POST or None,
        instance=key_result,
        objective=objective,
        organization=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            key_result_changed(saved, before)
        messages.success(request, f"The key result “{saved.title}” was saved.")
        return redirect("okrs:objective", org_slug, objective.pk)
    return _page(
        request,
        form,
        f"Edit “{key_result.title}”" if key_result else f"New key result for “{objective.title}”",
        reverse("okrs:objective", args=[org_slug, objective.pk]),
    )


@require(Action.VIEW)
@require_POST
def archive(request, org_slug: str, kind: str, item_id: int):
    model = {"objective": OkrObjective, "key-result": KeyResult}.get(kind)
    if model is None:
        raise PermissionDenied
    item = get_object_or_404(model, pk=item_id)
    objective = item if model is OkrObjective else item.objective
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    if Cycle.objects.get(pk=objective.cycle_id).is_closed:
        messages.error(request, "The cycle is closed; its OKRs are frozen.")
        return redirect("okrs:objective", org_slug, objective.pk)
    restore = request.POST.get("restore") == "1"
    before = rollup_inputs(item) if model is KeyResult else None
    with transaction.atomic():
        item.archived_at = None if restore else timezone.now()
        item.save(update_fields=["archived_at"])
        if before is not None:
            key_result_changed(item, before)
        else:
            objective_archive_changed(item)
    messages.success(request, f"“{item.title}” was {'restored' if restore else 'archived'}.")
    return redirect("okrs:objective", org_slug, objective.pk)


# --- Quarterly review and closing ------------------------------------------------------------


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def review(request, org_slug: str, objective_id: int):
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=objective_id)
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    key_results = list(objective.key_results.filter(archived_at=None))
    proposed = objective_score_of(key_results)
    form = ReviewForm(
        request.POST or None,
        key_results=key_results,
        initial={
            "final_score": objective.final_score if objective.final_score is not None else proposed,
            "what_worked": objective.what_worked,
            "lessons": objective.lessons,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_objective(
                objective,
                final_score=form.cleaned_data["final_score"],
                what_worked=form.cleaned_data["what_worked"],
                lessons=form.cleaned_data["lessons"],
                decisions=form.decisions(),
            )
        except CycleActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"The review of “{objective.title}” was saved.")
        return redirect("okrs:objective", org_slug, objective.pk)
    return render(
        request,
        "okrs/review.html",
        {
            "objective": objective,
            "form": form,
            "proposed": proposed,
        },
        status=400 if form.errors else 200,
    )


@require(Action.MANAGE_SETTINGS)
@require_POST
def cycle_action(request, org_slug: str, cycle_id: int, action: str):
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    try:
        if action == "review":
            if cycle.status not in ("active", "planning"):
                raise CycleActionRefused(f"{cycle.label} is already {cycle.get_status_display()}.")
            cycle.status = "in_review"
            cycle.save(update_fields=["status"])
            messages.success(request, f"{cycle.label} is in review.")
        elif action == "close":
            result = close_cycle(cycle, by=request.user)
            messages.success(
                request,
                f"{cycle.label} is closed: {result['frozen']} scores frozen, "
                f"{result['carried']} key result(s) carried over, "
                f"{result['flagged']} strategic objective(s) flagged for the annual review.",
            )
        elif action == "reopen":
            reopen_cycle(cycle, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, f"{cycle.label} was reopened; the reason is recorded.")
        else:
            raise Http404
    except CycleActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("okrs:cycle_detail", org_slug, cycle.pk)


@require(Action.VIEW)
def coverage(request, org_slug: str, cycle_id: int):
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    return render(request, "okrs/coverage.html", {"cycle": cycle, **cascade_coverage(cycle)})
