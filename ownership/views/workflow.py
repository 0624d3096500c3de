"""The weekly update workflow: check-ins received this quarter by unit and by owner, the
results missing this week's check-in, and sending the reminders now."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from okrs.cycles import current_quarter_or_create
from ownership import reminders
from ownership.queries import TallyRow, checkin_tally
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.formatting import format_percent_share


def _shown(rows: list[TallyRow]) -> list[tuple[str, int, int, str]]:
    return [
        (name, got, expected, format_percent_share(share)) for name, got, expected, share in rows
    ]


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def workflow(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    organization = request.organization
    today = organization.today()
    cycle = current_quarter_or_create(organization, today)
    if request.method == "POST":
        if not request.perms.can(Action.EDIT_ALL_OKRS):
            raise PermissionDenied
        count = reminders.remind_checkins(organization, today)
        messages.success(
            request,
            gettext(
                "%(count)s reminder(s) sent. Owners already reminded this week are not "
                "reminded twice."
            )
            % {"count": count},
        )
        return redirect("ownership:workflow", org_slug)
    tally = checkin_tally(cycle, today)
    return render(
        request,
        "ownership/workflow.html",
        {
            "cycle": cycle,
            "weeks": tally.weeks,
            "by_unit": _shown(tally.by_unit),
            "by_owner": _shown(tally.by_owner),
            "missing": tally.missing,
            "this_week": tally.this_week,
            "can_remind": request.perms.can(Action.EDIT_ALL_OKRS),
        },
    )
