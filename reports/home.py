"""The council report's part of the agency overview ("what needs me?", docs/ui.md): the
commentary the signed-in person is asked for on editions still open (not approved), each
linked to its edition. One query."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from reports.models import CommentaryRequest, EditionStatus
from strategyhub.http import OrganizationRequest


def overview_section(request: OrganizationRequest, today: dt.date) -> SafeString | None:
    asked = list(
        CommentaryRequest.objects.filter(user=request.user)
        .exclude(edition__status=EditionStatus.APPROVED)
        .select_related("edition__report")
        .order_by("due", "pk")[:20]
    )
    if not asked:
        return None
    return render_to_string(
        "reports/_home.html",
        {"asked": asked, "today": today, "organization": request.organization},
        request=request,
    )
