"""Celery tasks of reports: thin (ids in, one service call). The PDF of an approved
edition is made here, after the approval's commit (WeasyPrint takes seconds)."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # ships no type hints

from reports import editions
from reports.models import Edition
from strategyhub.background import TenantTask


@shared_task(
    name="reports.tasks.render_edition_pdf",
    base=TenantTask,
    bind=True,
    max_retries=5,
    default_retry_delay=300,
)
def render_edition_pdf(self, *, organization_id: int, edition_id: int) -> bool:  # type: ignore[no-untyped-def]
    """The approved edition's PDF, then (for a scheduled report) its delivery, each once."""
    from reports import delivery
    from strategyhub.emails import MAIL_ERRORS

    edition = Edition.objects.select_related("report__organization", "report__schedule").get(
        pk=edition_id
    )
    stored = editions.store_pdf(edition)
    try:
        delivery.deliver(edition)
    except MAIL_ERRORS as exc:
        raise self.retry(exc=exc) from exc
    return stored


@shared_task(name="reports.tasks.scheduled_reports_everywhere")
def scheduled_reports_everywhere() -> int:
    """Daily: each active agency with an active schedule builds what is due."""
    from reports.models import ReportSchedule

    with scopes_disabled():
        ids = sorted(
            set(
                ReportSchedule.objects.filter(
                    is_active=True, organization__is_active=True
                ).values_list("organization_id", flat=True)
            )
        )
    for organization_id in ids:
        scheduled_reports.delay(organization_id=organization_id)
    return len(ids)


@shared_task(name="reports.tasks.scheduled_reports", base=TenantTask)
def scheduled_reports(*, organization_id: int) -> int:
    from reports import delivery
    from strategyhub.models import Organization

    return len(delivery.run_due(Organization.objects.get(pk=organization_id)))


@shared_task(
    name="reports.tasks.send_commentary_request",
    base=TenantTask,
    bind=True,
    max_retries=5,
    default_retry_delay=300,
)
def send_commentary_request(self, *, organization_id: int, request_id: int) -> bool:  # type: ignore[no-untyped-def]
    from reports import commentary
    from reports.models import CommentaryRequest
    from strategyhub.emails import MAIL_ERRORS

    request = CommentaryRequest.objects.select_related("user", "edition__report__organization").get(
        pk=request_id
    )
    try:
        return commentary.send_request_email(request)
    except MAIL_ERRORS as exc:
        raise self.retry(exc=exc) from exc
