"""An OKR objective's page, creating and editing it, archiving, restoring and deleting it
(and the archive and delete routes shared with key results)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from okrs import keyresults, queries
from okrs.access import can_edit_objective
from okrs.forms import OkrObjectiveForm
from okrs.models import OkrObjective
from okrs.views import key_results
from okrs.views.confirm import closed_refusal, confirm_page
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


@require(Action.VIEW)
def objective_view(request: OrganizationRequest, org_slug: str, objective_id: int) -> HttpResponse:
    objective = get_object_or_404(queries.objectives_for_page(), pk=objective_id)
    return render(
        request,
        "okrs/objective.html",
        {
            "objective": objective,
            **queries.objective_page(objective, request.organization.today()),
            "can_edit": can_edit_objective(request.perms, objective),
            "deletable": keyresults.deletable(objective) is None,
            "can_clone": request.perms.can(Action.EDIT_ALL_OKRS),
        },
    )


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def objective_edit(
    request: OrganizationRequest, org_slug: str, objective_id: int | None = None
) -> HttpResponse:
    objective = get_object_or_404(OkrObjective, pk=objective_id) if objective_id else None
    if objective is None and not request.perms.can(Action.EDIT_ALL_OKRS):
        raise PermissionDenied
    if objective is not None and not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    if objective is not None and objective.cycle.is_closed:
        messages.error(
            request,
            gettext("%(label)s is closed; reopen it to edit.") % {"label": objective.cycle.label},
        )
        return redirect("okrs:objective", org_slug, objective.pk)
    initial = {}
    if objective is None and request.GET.get("cycle"):
        initial["cycle"] = request.GET["cycle"]
    form = OkrObjectiveForm(
        request.POST or None, instance=objective, initial=initial, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request, gettext("The objective “%(title)s” was saved.") % {"title": saved.title}
        )
        return redirect("okrs:objective", org_slug, saved.pk)
    back = (
        reverse("okrs:objective", args=[org_slug, objective.pk])
        if objective
        else reverse("okrs:cycle", args=[org_slug])
    )
    title = (
        gettext("Edit “%(name)s”") % {"name": objective.title}
        if objective
        else gettext("New OKR objective")
    )
    return form_page(request, form, title=title, back_url=back)


def _editable_objective(request: OrganizationRequest, item_id: int) -> OkrObjective:
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=item_id)
    if not can_edit_objective(request.perms, objective):
        raise PermissionDenied
    return objective


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def archive_objective(request: OrganizationRequest, org_slug: str, item_id: int) -> HttpResponse:
    """Archive an OKR objective, or restore it (``restore=1``): GET asks to confirm."""
    objective = _editable_objective(request, item_id)
    if request.method == "GET":
        return confirm_page(
            request,
            item=objective,
            action="restore" if objective.archived_at else "archive",
            action_url=reverse("okrs:archive", args=[org_slug, "objective", objective.pk]),
            back_url=reverse("okrs:objective", args=[org_slug, objective.pk]),
            refusal=closed_refusal(objective),
        )
    restore = request.POST.get("restore") == "1"
    try:
        keyresults.archive_objective(objective, restore=restore)
    except keyresults.ArchiveRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            gettext("“%(title)s” was %(value)s.")
            % {"title": objective.title, "value": "restored" if restore else "archived"},
        )
    return redirect("okrs:objective", org_slug, objective.pk)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def delete_objective(request: OrganizationRequest, org_slug: str, item_id: int) -> HttpResponse:
    """Delete an OKR objective none of whose key results has a check-in: GET asks to
    confirm."""
    objective = _editable_objective(request, item_id)
    if request.method == "GET":
        return confirm_page(
            request,
            item=objective,
            action="delete",
            action_url=reverse("okrs:delete", args=[org_slug, "objective", objective.pk]),
            back_url=reverse("okrs:objective", args=[org_slug, objective.pk]),
            refusal=closed_refusal(objective) or keyresults.deletable(objective),
        )
    try:
        keyresults.delete_objective(objective)
    except keyresults.ArchiveRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("okrs:objective", org_slug, objective.pk)
    messages.success(
        request, gettext("The objective “%(title)s” was deleted.") % {"title": objective.title}
    )
    return redirect("okrs:cycle_detail", org_slug, objective.cycle_id)


ARCHIVE_VIEWS = {"objective": archive_objective, "key-result": key_results.archive}


DELETE_VIEWS = {"objective": delete_objective, "key-result": key_results.delete}


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def archive(request: OrganizationRequest, org_slug: str, kind: str, item_id: int) -> HttpResponse:
    """The archive route of both kinds of item (``kind``: objective or key-result)."""
    view = ARCHIVE_VIEWS.get(kind)
    if view is None:
        raise PermissionDenied
    return view(request, org_slug, item_id=item_id)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def delete(request: OrganizationRequest, org_slug: str, kind: str, item_id: int) -> HttpResponse:
    """The delete route of both kinds of item (``kind``: objective or key-result)."""
    view = DELETE_VIEWS.get(kind)
    if view is None:
        raise PermissionDenied
    return view(request, org_slug, item_id=item_id)
