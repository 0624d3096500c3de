"""The public versions of published report editions, without signing in: a list and each
edition, as HTML and PDF. Only what an admin published, and only while the agency's public
dashboard is published (taking the dashboard down takes its reports down too); unpublishing
an edition takes it down at once."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from publicdash.models import PublicSite
from reports import pdf
from reports.models import Edition
from reports.render import render_document
from strategyhub.http import PublicRequest


def _published():  # type: ignore[no-untyped-def]
    if not PublicSite.objects.filter(is_published=True).exists():
        raise Http404("Nothing published here.")
    return Edition.objects.filter(published_at__isnull=False).select_related("report")


@require_safe
def public_list(request: PublicRequest, org_slug: str) -> HttpResponse:
    editions = list(
        _published()
        .defer("content", "body_html", "public_body_html")
        .order_by("-report__fiscal_year", "-report__quarter", "-number")
    )
    return render(request, "reports/public_list.html", {"editions": editions})


def _edition(public_id: str) -> Edition:
    edition = _published().filter(public_id=public_id).first()
    if edition is None:
        raise Http404("No such report")
    return edition


@require_safe
def public_edition(request: PublicRequest, org_slug: str, public_id: str) -> HttpResponse:
    edition = _edition(public_id)
    return render(
        request, "reports/public_edition.html", {"edition": edition, "c": edition.public_content}
    )


class _PublicView:
    """An edition seen through its public version, for the document and PDF renderers."""

    def __init__(self, edition: Edition) -> None:
        self.number = edition.number
        self.approved_at = edition.approved_at
        self.built_at = edition.built_at
        self.note = edition.note
        self.changes: list[str] = []
        self.content = edition.public_content or {}
        self.body_html = edition.public_body_html


@require_safe
def public_pdf(request: PublicRequest, org_slug: str, public_id: str) -> HttpResponse:
    edition = _edition(public_id)
    name = f"{org_slug}-report-{edition.report_id}-edition-{edition.number}.pdf"
    if not edition.public_pdf:
        if pdf.unavailable():
            raise Http404("The PDF is not available.")
        data = pdf.render_pdf(_PublicView(edition))  # type: ignore[arg-type]
        stored = default_storage.save(
            f"reports/{org_slug}/public-{edition.public_id}.pdf", ContentFile(data)
        )
        Edition.objects.filter(pk=edition.pk, public_pdf="").update(public_pdf=stored)
        edition.public_pdf.name = stored
    return FileResponse(
        edition.public_pdf.open("rb"), filename=name, content_type="application/pdf"
    )


def public_document(edition: Edition) -> str:
    return render_document(_PublicView(edition))  # type: ignore[arg-type]
