"""The ownership page: coverage by kind and unit, the gaps with their reassignment forms, and
the on-track rates beside the published reference figures (cached per page)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from ownership import views as knobs
from ownership.forms import TransferForm
from ownership.markup import GapLinks, gap_rows, tally_table
from ownership.report import (
    REFERENCE_OWNED_ON_TRACK,
    REFERENCE_UNOWNED_ON_TRACK,
    OwnedItem,
    attach_owners,
    ownership_report,
)
from strategyhub.caching import pages as pagecache
from strategyhub.forms import member_choices
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.formatting import format_number, format_percent_share


@require(Action.VIEW)
def page(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    return pagecache.render_cached(request, "ownership/page.html", lambda: _page_context(request))


def _page_context(request: OrganizationRequest) -> dict[str, Any]:
    organization = request.organization
    today = organization.today()
    report = ownership_report(organization, today)
    gaps_page = Paginator(report.gaps, knobs.GAPS_PER_PAGE).get_page(request.GET.get("page"))
    attach_owners(gaps_page.object_list)
    # The members themselves only where the page offers inline pickers (a small agency):
    # a large one links to a picker page instead, so how many there are is all it needs
    # (counted with the active members the report reads).
    inline = report.owner_candidates <= knobs.INLINE_MEMBER_LIMIT
    members = list(member_choices(organization)) if inline else []
    can_reassign_plan = request.perms.can(Action.EDIT_PLAN)
    can_reassign_okrs = request.perms.can(Action.EDIT_ALL_OKRS)

    def inline_form(item: OwnedItem) -> str:
        return render_to_string(
            "ownership/_reassign.html",
            {"organization": organization, "item": item, "members": members},
            request=request,
        )

    return {
        "report": report,
        "gaps_page": gaps_page,
        "gap_rows": gap_rows(
            gaps_page.object_list,
            GapLinks(organization.slug),
            can_reassign_plan=can_reassign_plan,
            can_reassign_okrs=can_reassign_okrs,
            control=inline_form if inline else None,
        ),
        "by_type_table": tally_table(
            report.by_type, gettext("Items by kind and owner state"), gettext("Kind")
        ),
        "by_unit_table": tally_table(
            report.by_unit, gettext("Items by unit and owner state"), gettext("Unit")
        ),
        "owned_rate": format_percent_share(report.owned_rate, 1),
        "unowned_rate": format_percent_share(report.unowned_rate, 1),
        "ratio": None if report.ratio is None else format_number(report.ratio, 1),
        "reference_owned": format_percent_share(REFERENCE_OWNED_ON_TRACK, 1),
        "reference_unowned": format_percent_share(REFERENCE_UNOWNED_ON_TRACK, 1),
        "reference_ratio": format_number(REFERENCE_OWNED_ON_TRACK / REFERENCE_UNOWNED_ON_TRACK, 1),
        "members": members,
        "inline_reassign": inline,
        # Two pickers of every member: on the page in a small agency, on a page of their
        # own (``owners.transfer``, linked) in a large one.
        "can_transfer": request.perms.can(Action.MANAGE_MEMBERS),
        "transfer_form": TransferForm(organization=organization)
        if request.perms.can(Action.MANAGE_MEMBERS) and inline
        else None,
        "can_reassign_plan": can_reassign_plan,
        "can_reassign_okrs": can_reassign_okrs,
    }
