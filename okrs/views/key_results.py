"""A key result's page (its check-ins, chart and history), editing and archiving it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from okrs import keyresults, queries
from okrs.access import can_check_in, can_edit_objective
from okrs.charts import kr_chart
from okrs.charts import legend as kr_legend
from okrs.forms import CheckInForm, KeyResultForm
from okrs.models import CheckIn, KeyResult, OkrObjective
from okrs.views.confirm import closed_refusal, confirm_page
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


def _correction_form(kr: KeyResult, checkin: CheckIn, today: dt.date) -> CheckInForm:
    return CheckInForm(
        key_result=kr,
        today=today,
        prefix=f"edit{checkin.pk}",
        initial={
            "as_of": checkin.as_of,
            "value": checkin.value,
            "rubric_score": checkin.rubric_score,
            "done": None if checkin.done is None else ("yes" if checkin.done else "no"),
            "confidence": checkin.confidence,
            "moved": checkin.moved,
            "blockers": checkin.blockers,
            "next_step": checkin.next_step,
            "evidence": checkin.evidence,
        },
    )


@require(Action.VIEW)
def key_result_view(
    request: OrganizationRequest, org_slug: str, key_result_id: int
) -> HttpResponse:
    kr = get_object_or_404(queries.key_results_for_page(), pk=key_result_id)
    cycle = kr.objective.cycle
    today = request.organization.today()
    checkins = list(kr.checkins.all())
    readings = [c.reading() for c in checkins]
    may_check_in = can_check_in(request.perms, kr) and not cycle.is_closed and not kr.is_archived
    state = keyresults.kr_state(kr, readings, cycle, today)
    points = [(c.as_of, c.value) for c in checkins if c.value is not None]
    start_value = kr.start_value if kr.kind == "metric" else None
    chart = kr_chart(
        title=gettext("%(title)s: check-ins") % {"title": kr.title},
        start=cycle.start,
        end=cycle.end,
        points=points,
        start_value=start_value,
        stretch=kr.target_value,
        floor=kr.floor_value,
        forecast=state.forecast,
        fmt=kr.format,
    )
    newest_first = sorted(checkins, key=lambda c: (c.as_of, c.created_at), reverse=True)
    return render(
        request,
        "okrs/key_result.html",
        {
            "kr": kr,
            "state": state,
            "chart": chart,
            "legend": kr_legend(
                path=start_value is not None and kr.target_value is not None,
                stretch=kr.target_value is not None,
                floor=kr.floor_value is not None,
                forecast=state.forecast is not None,
                points=bool(points),
            ),
            "rows": [
                (c, _correction_form(kr, c, today) if may_check_in else None) for c in newest_first
            ],
            "can_check_in": may_check_in,
            "can_edit": can_edit_objective(request.perms, kr.objective),
            "history": queries.checkin_history(kr),
            "lineage": queries.key_result_lineage(kr),
        },
    )


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def key_result_edit(
    request: OrganizationRequest, org_slug: str, objective_id: int, key_result_id: int | None = None
) -> HttpResponse:
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=objective_id)
    key_result = (
        get_object_or_404(KeyResult, pk=key_result_id, objective=objective)
        if key_result_id
        else None
    )
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    if objective.cycle.is_closed:
        messages.error(
            request,
            gettext("%(label)s is closed; reopen it to edit.") % {"label": objective.cycle.label},
        )
        return redirect("okrs:objective", org_slug, objective.pk)
    before = keyresults.rollup_inputs(key_result) if key_result else None
    form = KeyResultForm(
        request.POST or None,
        instance=key_result,
        objective=objective,
        organization=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        saved = keyresults.save_key_result(form, before)
        messages.success(
            request, gettext("The key result “%(title)s” was saved.") % {"title": saved.title}
        )
        return redirect("okrs:objective", org_slug, objective.pk)
    if key_result:
        title = gettext("Edit “%(name)s”") % {"name": key_result.title}
    else:
        title = gettext("New key result for “%(name)s”") % {"name": objective.title}
    return form_page(
        request,
        form,
        title=title,
        back_url=reverse("okrs:objective", args=[org_slug, objective.pk]),
    )


def _editable_key_result(request: OrganizationRequest, item_id: int) -> KeyResult:
    kr = get_object_or_404(KeyResult.objects.select_related("objective__cycle"), pk=item_id)
    if not can_edit_objective(request.perms, kr.objective):
        raise PermissionDenied
    return kr


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def archive(request: OrganizationRequest, org_slug: str, item_id: int) -> HttpResponse:
    """Archive a key result, or restore it (``restore=1``): GET asks to confirm."""
    kr = _editable_key_result(request, item_id)
    restore = kr.archived_at is not None
    if request.method == "GET":
        return confirm_page(
            request,
            item=kr,
            action="restore" if restore else "archive",
            action_url=reverse("okrs:archive", args=[org_slug, "key-result", kr.pk]),
            back_url=reverse("okrs:key_result", args=[org_slug, kr.pk]),
            refusal=closed_refusal(kr.objective),
        )
    restore = request.POST.get("restore") == "1"
    try:
        keyresults.archive_key_result(kr, restore=restore)
    except keyresults.ArchiveRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            gettext("“%(title)s” was %(value)s.")
            % {"title": kr.title, "value": "restored" if restore else "archived"},
        )
    return redirect("okrs:objective", org_slug, kr.objective_id)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def delete(request: OrganizationRequest, org_slug: str, item_id: int) -> HttpResponse:
    """Delete a key result without check-ins: GET asks to confirm."""
    kr = _editable_key_result(request, item_id)
    if request.method == "GET":
        return confirm_page(
            request,
            item=kr,
            action="delete",
            action_url=reverse("okrs:delete", args=[org_slug, "key-result", kr.pk]),
            back_url=reverse("okrs:key_result", args=[org_slug, kr.pk]),
            refusal=closed_refusal(kr.objective) or keyresults.deletable(kr),
        )
    try:
        keyresults.delete_key_result(kr)
    except keyresults.ArchiveRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("okrs:key_result", org_slug, kr.pk)
    messages.success(
        request, gettext("The key result “%(title)s” was deleted.") % {"title": kr.title}
    )
    return redirect("okrs:objective", org_slug, kr.objective_id)
