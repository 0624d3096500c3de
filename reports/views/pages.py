"""Report pages: the list, the new-report form, an edition (with the others listed), the
actions on an edition and its downloads. Thin: reads in ``reports.queries``, writes in
``reports.editions``; refusals come back as messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reports import appendix, commentary, editions, pdf, public, queries
from reports import render as rendering
from reports.forms import ReportForm
from reports.models import EditionStatus, Report
from scorecards.models import PlanStatus, StrategicPlan
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


def _edition_url(request: OrganizationRequest, report_id: int, number: int) -> str:
    return reverse("reports:edition", args=[request.organization.slug, report_id, number])


@require(Action.VIEW)
def report_list(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    return render(
        request,
        "reports/list.html",
        {
            "reports": queries.report_list(request.perms),
            "can_create": request.perms.can(Action.EDIT_PLAN),
        },
    )


@require(Action.EDIT_PLAN)
def report_new(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    plan = StrategicPlan.objects.filter(status=PlanStatus.ACTIVE).first()
    back = reverse("reports:list", args=[org_slug])
    if plan is None:
        messages.error(request, gettext("The agency has no active plan to report on."))
        return redirect(back)
    organization = request.organization
    form = ReportForm(request.POST or None, plan=plan, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = editions.create_report(
                organization,
                request.user,
                template=data["template"],
                fiscal_year=data["fiscal_year"],
                quarter=data["quarter"],
                perspective=data.get("perspective"),
            )
        except editions.ReportRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, gettext("“%(title)s” is drafted from the data.") % {"title": report.title}
            )
            return redirect(_edition_url(request, report.pk, 1))
    return form_page(request, form, title=gettext("New report"), back_url=back)


@require(Action.VIEW)
def report_view(request: OrganizationRequest, org_slug: str, report_id: int) -> HttpResponse:
    _report, readable = queries.report_for(request.perms, report_id)
    return redirect(_edition_url(request, report_id, readable[0].number))


@require(Action.VIEW)
def edition_view(
    request: OrganizationRequest, org_slug: str, report_id: int, number: int
) -> HttpResponse:
    edition = queries.edition_for(request.perms, report_id, number)
    report, readable = queries.report_for(request.perms, report_id)
    perms = request.perms
    return render(
        request,
        "reports/edition.html",
        {
            "report": report,
            "edition": edition,
            "editions": readable,
            "c": edition.content,
            "can_edit": perms.can(Action.EDIT_PLAN),
            "can_approve": perms.can(Action.PUBLISH),
            "is_latest": readable[0].pk == edition.pk,
            "pdf_problem": pdf.unavailable(),
            "my_items": _my_items(edition, request),
            "asked": edition.requests.select_related("user").order_by("user__full_name")
            if perms.can(Action.EDIT_PLAN)
            else [],
        },
    )


def _my_items(edition, request: OrganizationRequest) -> list[dict]:  # type: ignore[no-untyped-def]
    """The items this member owns in an open edition, with what they wrote on each."""
    if edition.is_frozen:
        return []
    mine = commentary.owned_items(edition, request.user)
    written = {(c.item_kind, c.item_id): c for c in edition.commentary.filter(author=request.user)}
    for item in mine:
        item["written"] = written.get((item["kind"], item["id"]))
        item["needs_recovery"] = item["status"] in commentary.NEEDS_RECOVERY
    return mine


ACTIONS = {
    "rebuild": (Action.EDIT_PLAN, editions.rebuild, "Rebuilt from the data."),
    "submit": (Action.EDIT_PLAN, editions.submit, "Sent for review."),
    "return": (Action.EDIT_PLAN, editions.return_to_draft, "Back to draft."),
    "approve": (Action.PUBLISH, editions.approve, "Approved: this edition is now frozen."),
    "publish": (Action.PUBLISH, public.publish, "The public version is published."),
    "unpublish": (Action.PUBLISH, public.unpublish, "The public version is taken down."),
}


@require(Action.EDIT_PLAN)
@require_POST
def edition_action(
    request: OrganizationRequest, org_slug: str, report_id: int, number: int, action: str
) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    needed, service, done = ACTIONS[action]
    if not request.perms.can(needed):
        raise PermissionDenied
    edition = queries.edition_for(request.perms, report_id, number)
    try:
        service(edition, request.user)
    except editions.ReportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(_edition_url(request, report_id, number))


@require(Action.EDIT_PLAN)
@require_POST
def report_correction(request: OrganizationRequest, org_slug: str, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    try:
        edition = editions.start_correction(report, request.user, request.POST.get("note", ""))
    except editions.ReportRefused as exc:
        messages.error(request, str(exc))
        latest = editions.latest_edition(report)
        return redirect(_edition_url(request, report_id, latest.number if latest else 1))
    messages.success(
        request,
        gettext("Edition %(number)s is drafted from the data now.") % {"number": edition.number},
    )
    return redirect(_edition_url(request, report_id, edition.number))


def _download_name(report: Report, number: int, extension: str) -> str:
    return f"report-{report.pk}-edition-{number}.{extension}"


@require(Action.VIEW)
def edition_download(
    request: OrganizationRequest, org_slug: str, report_id: int, number: int, fmt: str
) -> HttpResponse:
    """The edition's document: the stored file once approved, else made now (a draft's)."""
    edition = queries.edition_for(request.perms, report_id, number)
    name = _download_name(edition.report, number, fmt)
    if fmt == "html":
        if edition.status == EditionStatus.APPROVED and edition.document:
            return FileResponse(
                edition.document.open("rb"),
                filename=name,
                as_attachment=True,
                content_type="text/html; charset=utf-8",
            )
        response = HttpResponse(
            rendering.render_document(edition), content_type="text/html; charset=utf-8"
        )
    elif fmt == "pdf":
        if edition.status == EditionStatus.APPROVED and edition.pdf:
            return FileResponse(
                edition.pdf.open("rb"),
                filename=name,
                as_attachment=True,
                content_type="application/pdf",
            )
        problem = pdf.unavailable()
        if problem:
            messages.error(request, problem)
            return redirect(_edition_url(request, report_id, number))
        if edition.status == EditionStatus.APPROVED:
            editions.store_pdf(edition)  # the task has not run yet: make it now, once
            return FileResponse(
                edition.pdf.open("rb"),
                filename=name,
                as_attachment=True,
                content_type="application/pdf",
            )
        response = HttpResponse(pdf.render_pdf(edition), content_type="application/pdf")
    elif fmt == "csv":
        response = HttpResponse(
            appendix.to_csv(edition.content), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404("No such format")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
