"""The quarterly review of an objective and the cycle's transitions (review, close,
reopen)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from okrs import review as reviews
from okrs.access import can_edit_objective
from okrs.forms import ReviewForm
from okrs.keyresults import objective_score_of
from okrs.models import Cycle, OkrObjective
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.formatting import format_score


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def review(request: OrganizationRequest, org_slug: str, objective_id: int) -> HttpResponse:
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=objective_id)
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    key_results = list(objective.key_results.filter(archived_at=None))
    proposed = objective_score_of(key_results)
    form = ReviewForm(
        request.POST or None,
        key_results=key_results,
        initial={
            "final_score": reviews.proposal_shown(objective, proposed),
            "what_worked": objective.what_worked,
            "lessons": objective.lessons,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_objective(
                objective,
                final_score=form.cleaned_data["final_score"],
                what_worked=form.cleaned_data["what_worked"],
                lessons=form.cleaned_data["lessons"],
                decisions=form.decisions(),
            )
        except reviews.CycleActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"The review of “{objective.title}” was saved.")
        return redirect("okrs:objective", org_slug, objective.pk)
    return render(
        request,
        "okrs/review.html",
        {"objective": objective, "form": form, "proposed": format_score(proposed)},
        status=400 if form.errors else 200,
    )


def _start_review(request: OrganizationRequest, cycle: Cycle) -> tuple[str, list[str]]:
    reviews.start_review(cycle)
    return f"{cycle.label} is in review.", []


def _close(request: OrganizationRequest, cycle: Cycle) -> tuple[str, list[str]]:
    """The summary, and a warning for each result marked "carry over" that was not (it
    was cloned into the next quarter already). The closed quarter's page links to the
    next one's overview."""
    result = reviews.close_cycle(cycle, by=request.user)
    return (
        f"{cycle.label} is closed: {result['frozen']} scores frozen, "
        f"{result['carried']} key result(s) carried over, "
        f"{result['flagged']} strategic objective(s) flagged for the annual review.",
        result["notes"],
    )


def _reopen(request: OrganizationRequest, cycle: Cycle) -> tuple[str, list[str]]:
    reviews.reopen_cycle(cycle, by=request.user, reason=request.POST.get("reason", ""))
    return f"{cycle.label} was reopened; the reason is recorded.", []


CYCLE_ACTIONS = {"review": _start_review, "close": _close, "reopen": _reopen}


@require(Action.MANAGE_SETTINGS)
@require_POST
def cycle_action(
    request: OrganizationRequest, org_slug: str, cycle_id: int, action: str
) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    act = CYCLE_ACTIONS.get(action)
    if act is None:
        raise Http404
    try:
        done, notes = act(request, cycle)
    except reviews.CycleActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
        for note in notes:
            messages.warning(request, note)
    return redirect("okrs:cycle_detail", org_slug, cycle.pk)
