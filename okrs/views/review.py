"""The quarterly review of an objective and the cycle's transitions (review, close,
reopen), with the confirmation pages of starting the review and of closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

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
            messages.success(
                request,
                gettext("The review of “%(title)s” was saved.") % {"title": objective.title},
            )
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


def _confirm_review(request: OrganizationRequest, cycle: Cycle) -> HttpResponse:
    start = reviews.review_start(cycle, request.organization.today())
    return _confirm_page(
        request,
        cycle,
        action="review",
        heading=f"Start the review of {cycle.label}?",
        consequences=start.consequences,
        warnings=[start.early] if start.early else [],
        refusal=start.refusal,
        confirm_label=f"Yes, start the review of {cycle.label}",
    )


def _confirm_close(request: OrganizationRequest, cycle: Cycle) -> HttpResponse:
    preview = reviews.close_preview(cycle, request.organization.today())
    return _confirm_page(
        request,
        cycle,
        action="close",
        heading=f"Close {cycle.label} and freeze its scores?",
        consequences=preview.consequences,
        warnings=preview.warnings,
        refusal=preview.refusal,
        confirm_label=f"Yes, close {cycle.label} and freeze its scores",
    )


def _confirm_page(
    request: OrganizationRequest,
    cycle: Cycle,
    *,
    action: str,
    heading: str,
    consequences: list[str],
    warnings: list[str],
    refusal: str | None,
    confirm_label: str,
) -> HttpResponse:
    """The confirmation page of archive and delete (``okrs/confirm.html``), for a cycle:
    what the action does, what to know before (warnings; it can still be done), and the
    form that posts it."""
    return render(
        request,
        "okrs/confirm.html",
        {
            "heading": heading,
            "consequences": consequences,
            "warnings": warnings,
            "refusal": refusal,
            "action_url": reverse(
                f"okrs:cycle_{action}", args=[request.organization.slug, cycle.pk]
            ),
            "back_url": reverse("okrs:cycle_detail", args=[request.organization.slug, cycle.pk]),
            "back_label": f"Back to {cycle.label}",
            "confirm_label": confirm_label,
        },
    )


# GET on a cycle action asks to confirm it (reopening has its reason field on the cycle's
# page, and no confirmation page).
CYCLE_CONFIRMATIONS = {"review": _confirm_review, "close": _confirm_close}


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def cycle_action(
    request: OrganizationRequest, org_slug: str, cycle_id: int, action: str
) -> HttpResponse:
    """POST does the action (the warnings of its confirmation page do not stop it); GET
    shows the confirmation page of starting the review and of closing."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    act = CYCLE_ACTIONS.get(action)
    if act is None:
        raise Http404
    if request.method == "GET":
        confirm = CYCLE_CONFIRMATIONS.get(action)
        if confirm is None:
            return HttpResponseNotAllowed(["POST"])
        return confirm(request, cycle)
    try:
        done, notes = act(request, cycle)
    except reviews.CycleActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
        for note in notes:
            messages.warning(request, note)
    return redirect("okrs:cycle_detail", org_slug, cycle.pk)
