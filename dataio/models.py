"""The import's record: one uploaded workbook and what became of it (docs/data.md, "Import").

An :class:`ImportRun` holds the uploaded file (through Django's storage: local disk or the
S3 bucket), its state, the progress counters the run page follows, the preview (per sheet:
created, updated, unchanged) and every problem found. It is written on a second database
connection (``dataio.importing.progress``), so the page sees it while the import's own
transaction is still open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from strategyhub.models import TenantModel


def upload_path(run: ImportRun, filename: str) -> str:
    return f"imports/{run.organization_id}/{filename}"


class RunState(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    VALIDATING = "validating", "Checking"
    PREVIEWED = "previewed", "Ready to import"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"
    # Previewed (or failed) and not confirmed within a day: the file is deleted
    # (``dataio.importing.run.expire_unconfirmed``).
    EXPIRED = "expired", "Expired"


class ImportRun(TenantModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=upload_path, max_length=300)
    filename = models.CharField(max_length=200)
    state = models.CharField(max_length=12, choices=RunState.choices, default=RunState.UPLOADED)
    # What the run is doing now ("Checking Measures"), and how far it is.
    phase = models.CharField(max_length=120, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # {sheet: {"created": n, "updated": n, "unchanged": n}} (``sheet_counts``: in order).
    preview = models.JSONField(default=dict)
    # Every problem (the first dataio.importing.problems.MAX_KEPT), as Problem.as_dict().
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    notices = models.JSONField(default=list)  # e.g. "3 invitations will be sent"
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def busy(self) -> bool:
        return self.state in (RunState.UPLOADED, RunState.VALIDATING, RunState.IMPORTING)

    @property
    def sheet_counts(self) -> list[tuple[str, dict[str, int]]]:
        """The preview in the workbook contract's sheet order (a JSON object's keys come
        back from PostgreSQL in its own order)."""
        from dataio import schema

        order = {sheet.name: index for index, sheet in enumerate(schema.SHEETS)}
        return sorted(self.preview.items(), key=lambda item: order.get(item[0], len(order)))

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
