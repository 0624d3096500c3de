"""A perspective's dashboard; creating, editing and deleting a plan's perspectives and
themes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecards import plans, queries
from scorecards.forms import PerspectiveForm, ThemeForm
from scorecards.models import Perspective, StrategicPlan, Theme
from scorecards.views._helpers import plan_url
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page
from strategyhub.unique_save import save_unique


@require(Action.VIEW)
def perspective_view(
    request: OrganizationRequest, org_slug: str, perspective_id: int
) -> HttpResponse:
    return pagecache.render_cached(
        request,
        "scorecards/perspective.html",
        lambda: _perspective_context(request, perspective_id),
    )


def _perspective_context(request: OrganizationRequest, perspective_id: int) -> dict[str, Any]:
    plan = get_object_or_404(StrategicPlan, perspectives=perspective_id)
    page = queries.perspective_page(
        plan,
        perspective_id,
        request.organization,
        request.organization.today(),
        page=request.GET.get("page"),
    )
    if page is None:
        raise Http404("No such perspective in this plan.")
    return {
        "plan": plan,
        "perspective": page.perspective,
        "perspective_block": page.overview.perspectives[0],
        "objectives_page": page.objectives_page,
        "status_summary": queries.status_summary(page.status_counts),
        "perspectives": page.perspectives,
    }


def _edit_part(
    request: OrganizationRequest,
    plan_id: int,
    model: type[Perspective] | type[Theme],
    form_class: type[PerspectiveForm],
    part_id: int | None,
    noun: str,
) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    instance = get_object_or_404(model, pk=part_id, plan=plan) if part_id else None
    form = form_class(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = save_unique(
            form, plans.save_part, message=f"This plan already has a {noun} of that name."
        )
        if saved is not None:
            messages.success(
                request,
                gettext("The %(noun)s “%(name)s” was saved.") % {"noun": noun, "name": saved.name},
            )
            return redirect(plan_url(request, plan))
    title = (
        gettext("Edit the %(noun)s “%(name)s”") % {"noun": noun, "name": instance.name}
        if instance
        else gettext("New %(noun)s") % {"noun": noun}
    )
    delete_url = None
    if instance:
        delete_url = reverse(
            f"scorecards:{noun}_delete", args=[request.organization.slug, plan.pk, instance.pk]
        )
    return form_page(
        request,
        form,
        title=title,
        back_url=plan_url(request, plan),
        extra={"delete_url": delete_url},
    )


def _delete_part(
    request: OrganizationRequest,
    plan_id: int,
    model: type[Perspective] | type[Theme],
    part_id: int,
    noun: str,
) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    instance = get_object_or_404(model, pk=part_id, plan=plan)
    try:
        plans.delete_part(instance, noun)
    except plans.PartInUse as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("The %(noun)s “%(name)s” was deleted.") % {"noun": noun, "name": instance.name},
        )
    return redirect(plan_url(request, plan))


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def perspective_edit(
    request: OrganizationRequest, org_slug: str, plan_id: int, perspective_id: int | None = None
) -> HttpResponse:
    return _edit_part(request, plan_id, Perspective, PerspectiveForm, perspective_id, "perspective")


@require(Action.EDIT_PLAN)
@require_POST
def perspective_delete(
    request: OrganizationRequest, org_slug: str, plan_id: int, perspective_id: int
) -> HttpResponse:
    return _delete_part(request, plan_id, Perspective, perspective_id, "perspective")


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def theme_edit(
    request: OrganizationRequest, org_slug: str, plan_id: int, theme_id: int | None = None
) -> HttpResponse:
    return _edit_part(request, plan_id, Theme, ThemeForm, theme_id, "theme")


@require(Action.EDIT_PLAN)
@require_POST
def theme_delete(
    request: OrganizationRequest, org_slug: str, plan_id: int, theme_id: int
) -> HttpResponse:
    return _delete_part(request, plan_id, Theme, theme_id, "theme")
