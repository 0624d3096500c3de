"""The Data page (``/o/<slug>/data/``, admins only): download everything the agency owns
(a workbook, or a zip of CSV files) and the import template. The import's upload, preview
and confirm live in ``dataio.importing`` and its views."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from dataio import export, template_book
from dataio.importing import views as importing_views
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require

TEMPLATE_NAME = "strategyhub-import-template.xlsx"


@require(Action.MOVE_DATA)
@require_GET
def page(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    context = {"formats": export.FORMATS, **importing_views.section(request)}
    return render(request, "dataio/page.html", context)


def _file_response(fill, name: str, content_type: str) -> FileResponse:
    """The file ``fill`` writes, spooled to a temporary file (a large export never sits in
    memory) and sent as a download nobody caches (it holds every member's email)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    fill(spool)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=name, content_type=content_type)
    add_never_cache_headers(response)
    return response


@require(Action.MOVE_DATA)
@require_GET
def download_export(request: OrganizationRequest, org_slug: str, fmt: str) -> FileResponse:
    if fmt not in export.FORMATS:
        raise Http404("No such format.")
    organization = request.organization
    return _file_response(
        lambda out: export.write(organization, fmt, out),
        export.filename(organization, fmt),
        export.FORMATS[fmt],
    )


@require(Action.MOVE_DATA)
@require_GET
def download_template(request: OrganizationRequest, org_slug: str) -> FileResponse:
    return _file_response(template_book.write_template, TEMPLATE_NAME, export.FORMATS["xlsx"])
