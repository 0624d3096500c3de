"""Asking the owners for commentary (editors) and writing it (each owner, on what they own,
contributors included). Refusals come back as messages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from reports import commentary, queries
from reports.refusals import ReportRefused
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui import dates


def _back(request: OrganizationRequest, report_id: int, number: int) -> HttpResponse:
    return redirect(
        reverse("reports:edition", args=[request.organization.slug, report_id, number])
        + "#commentary"
    )


@require(Action.EDIT_PLAN)
@require_POST
def ask(request: OrganizationRequest, org_slug: str, report_id: int, number: int) -> HttpResponse:
    edition = queries.edition_for(request.perms, report_id, number)
    try:
        due = dt.date.fromisoformat(request.POST.get("due", ""))
    except ValueError:
        messages.error(request, gettext("Enter the due date as a date, e.g. 2027-01-15."))
        return _back(request, report_id, number)
    try:
        asked = commentary.request_commentary(edition, request.user, due)
    except ReportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Asked %(count)d owner for commentary by %(day)s.",
                "Asked %(count)d owners for commentary by %(day)s.",
                asked,
            )
            % {"count": asked, "day": dates.full_date(due)}
            if asked
            else gettext("Every owner had been asked already."),
        )
    return _back(request, report_id, number)


@require(Action.VIEW)
@require_POST
def write(request: OrganizationRequest, org_slug: str, report_id: int, number: int) -> HttpResponse:
    edition = queries.edition_for(request.perms, report_id, number)
    try:
        item_id = int(request.POST.get("item_id", ""))
    except ValueError:
        item_id = 0
    try:
        commentary.write(
            edition,
            request.user,
            kind=request.POST.get("item_kind", ""),
            item_id=item_id,
            analysis=request.POST.get("analysis", ""),
            recovery=request.POST.get("recovery", ""),
            publish=request.POST.get("publish") == "on",
        )
    except ReportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Your commentary is in the draft."))
    return _back(request, report_id, number)
