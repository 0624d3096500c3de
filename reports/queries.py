"""Page reads of reports: the list (with each report's latest edition, in two queries) and
one edition with its report, for this member (404 for what they may not read)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from reports.models import Edition, EditionStatus, Report
from strategyhub.permissions import Action, MemberPermissions


def can_read_drafts(perms: MemberPermissions) -> bool:
    """Editors and admins read drafts and editions in review; everyone else only approved
    editions."""
    return perms.can(Action.EDIT_PLAN)


def visible_editions(perms: MemberPermissions) -> QuerySet[Edition]:
    """Editions this member may read: all for editors and admins; approved ones, and the
    drafts they were asked to comment on, for everyone else (contributors included)."""
    editions = Edition.objects.all()
    if not can_read_drafts(perms):
        asked = Edition.objects.filter(requests__user_id=perms.membership.user_id).values("pk")
        editions = editions.filter(Q(status=EditionStatus.APPROVED) | Q(pk__in=asked))
    return editions


def report_list(perms: MemberPermissions) -> list[Report]:
    """Reports with the editions this member may read (newest first); a reader who may not
    read drafts does not see a report that has no approved edition yet."""
    editions = (
        visible_editions(perms)
        .only("pk", "report_id", "number", "status", "built_at", "approved_at", "organization_id")
        .order_by("-number")
    )
    reports = list(
        Report.objects.select_related("perspective")
        .prefetch_related(Prefetch("editions", queryset=editions, to_attr="readable"))
        .order_by("-fiscal_year", "-quarter", "title")
    )
    return [r for r in reports if getattr(r, "readable", None)]


def edition_for(perms: MemberPermissions, report_id: int, number: int) -> Edition:
    edition = (
        visible_editions(perms)
        .select_related("report", "report__organization", "approved_by", "built_by")
        .filter(report_id=report_id, number=number)
        .first()
    )
    if edition is None:
        raise Http404("No such edition")
    return edition


def report_for(perms: MemberPermissions, report_id: int) -> tuple[Report, list[Edition]]:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report")
    editions = list(
        visible_editions(perms)
        .filter(report=report)
        .order_by("-number")
        .defer("content", "body_html")
    )
    if not editions:
        raise Http404("No such report")
    return report, editions
