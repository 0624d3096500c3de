"""The import's pages (admins only, like the export): the upload form on the Data page, the
run page that follows the work (htmx polling, a <noscript> refresh without JavaScript),
its preview with every problem, the confirm button and the result."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from dataio.importing import run as runs
from dataio.importing.problems import ImportRefused
from dataio.models import ImportRun
from strategyhub import idempotency
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require

RECENT = 5
POLL_SECONDS = 2


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Workbook (.xlsx) or zip of CSV files",
        help_text="The export of an agency, or the template filled in. Nothing changes until "
        "you have seen the preview and confirmed it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.zip"}),
    )


def section(request: OrganizationRequest, form: UploadForm | None = None) -> dict[str, Any]:
    """The Data page's import part: the form and the latest runs."""
    return {
        "import_form": form or UploadForm(),
        "import_runs": list(
            ImportRun.objects.filter(organization=request.organization)
            .select_related("created_by")
            .only(
                "pk",
                "filename",
                "state",
                "created_at",
                "created_by__email",
                "created_by__full_name",
                "problem_count",
            )[:RECENT]
        ),
    }


@require(Action.MOVE_DATA)
@require_POST
def upload(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            run = runs.start(request.organization, request.user, form.cleaned_data["file"])
        except ImportRefused as refusal:
            for problem in refusal.problems:
                form.add_error("file", problem.message)
        else:
            return redirect("dataio:import_run", org_slug=org_slug, run_id=run.pk)
    from dataio import export

    context = {"formats": export.FORMATS, **section(request, form)}
    return render(request, "dataio/page.html", context, status=400)


@require(Action.MOVE_DATA)
@require_GET
def run_page(request: OrganizationRequest, org_slug: str, run_id: int) -> HttpResponse:
    run = get_object_or_404(
        ImportRun.objects.select_related("created_by", "confirmed_by"), pk=run_id
    )
    context = {
        "run": run,
        "poll_seconds": POLL_SECONDS,
        "confirm_key": idempotency.PLACEHOLDER,
        "key_field": idempotency.FIELD,
    }
    template = "dataio/importing/run.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@require(Action.MOVE_DATA)
@require_POST
def confirm(request: OrganizationRequest, org_slug: str, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
    outcome = idempotency.run_once(
        request.organization,
        request.user,
        f"dataio.import:{run.pk}",
        request.POST.get(idempotency.FIELD),
        lambda: runs.confirm(run, request.user),
        lambda confirmed: {"run": confirmed.pk},
    )
    if not outcome.replayed and outcome.result is None:
        messages.error(
            request,
            gettext(
                "This import cannot be confirmed: it has problems, it expired, or it was "
                "confirmed already."
            ),
        )
    return redirect("dataio:import_run", org_slug=org_slug, run_id=run.pk)
