"""Council reports and their editions (docs/reports.md).

A **report** is one template (council quarterly, annual performance, one perspective) for one
period (a fiscal quarter or a fiscal year) of the agency's active plan. Each build of it is an
**edition**: the content read from the data as of the period's end, frozen as JSON and as the
rendered HTML body at build time, so nothing read later changes what an edition says. Only a
draft edition may be rebuilt; once approved its document (HTML and PDF) is written to the
file storage and the edition never changes again. A correction is a new edition with a note of
what changed; every edition stays downloadable.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecards.models import Perspective, StrategicPlan, new_public_id
from strategyhub import fiscal
from strategyhub.models import TenantModel


class Template(models.TextChoices):
    COUNCIL_QUARTERLY = "council_quarterly", _("Council quarterly report")
    ANNUAL = "annual", _("Annual performance report")
    PERSPECTIVE = "perspective", _("One perspective")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Fiscal year")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")


class Report(TenantModel):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.PROTECT, related_name="+")
    template = models.CharField(max_length=20, choices=Template.choices)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(help_text=_("Named by the year it starts in."))
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    perspective = models.ForeignKey(
        Perspective, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    schedule = models.ForeignKey(
        "ReportSchedule", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["-fiscal_year", "-quarter", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(period_kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (Q(period_kind="year") & Q(quarter__isnull=True)),
                name="report_period_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def period(self, start_month: int, style: str) -> fiscal.FiscalYear | fiscal.FiscalQuarter:
        year = fiscal.fiscal_year(self.fiscal_year, start_month, style)
        if self.period_kind == PeriodKind.QUARTER and self.quarter is not None:
            return year.quarter(self.quarter)
        return year

    def period_end(self, start_month: int) -> dt.date:
        return self.period(start_month, fiscal.LabelStyle.SPAN).end


class Edition(TenantModel):
    """One build of a report: its frozen content and body, its status, and once approved
    the stored document and PDF."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    # What the edition says, read from the data as of the period's end (``reports.build``):
    # JSON with every number as text (full precision) and as displayed.
    content = models.JSONField(default=dict)
    # The report body rendered from ``content`` when it was built (``reports.render``).
    body_html = models.TextField(blank=True)
    # Values recorded up to this moment count (later corrections make a later edition).
    data_as_of = models.DateTimeField()
    note = models.TextField(
        blank=True, help_text=_("What changed since the previous edition, in the editor's words.")
    )
    changes = models.JSONField(default=list)  # the numbers that differ from the previous one
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    built_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Written at approval through Django's storage API (``reports.documents``).
    document = models.FileField(upload_to="reports/", blank=True, max_length=300)
    pdf = models.FileField(upload_to="reports/", blank=True, max_length=300)
    pdf_error = models.CharField(max_length=300, blank=True)
    commentary_due = models.DateField(null=True, blank=True)
    # The public version (``reports.public``): public measures only, no owners' names or
    # emails, commentary only where its author chose; published by an admin.
    public_id = models.CharField(max_length=12, default=new_public_id, unique=True, editable=False)
    public_content = models.JSONField(null=True, blank=True)
    public_body_html = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_pdf = models.FileField(upload_to="reports/", blank=True, max_length=300)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_edition_number"),
            models.UniqueConstraint(
                fields=["report"],
                condition=~Q(status="approved"),
                name="one_open_edition_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} (edition {self.number})"

    @property
    def is_frozen(self) -> bool:
        return self.status == EditionStatus.APPROVED

    def clean(self) -> None:
        super().clean()
        if self.number and self.number > 1 and not self.note.strip():
            raise ValidationError({"note": gettext("Say what changed since the previous edition.")})


class CommentaryRequest(TenantModel):
    """An owner asked for their commentary on an edition (once per edition and person; the
    email is claimed with a conditional UPDATE of ``sent_at``, so it is sent once)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    member_fields = ("user",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="one_request_per_owner")
        ]


class ItemKind(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    MEASURE = "measure", _("Measure")


class Commentary(TenantModel):
    """An owner's analysis of one objective or measure in an edition and, for anything at
    risk or off track, the recovery strategy; shown in the report with its author's name,
    in the public version only when ``publish`` is set."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="commentary")
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    item_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    analysis = models.TextField()
    recovery = models.TextField(blank=True)
    publish = models.BooleanField(
        default=False, help_text=_("Show this commentary in the public version of the report.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    member_fields = ("author",)

    class Meta:
        ordering = ["item_kind", "item_id", "updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "item_kind", "item_id", "author"],
                name="one_commentary_per_author_and_item",
            )
        ]


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", _("Every quarter")
    ANNUAL = "annual", _("Every fiscal year")


class ReportSchedule(TenantModel):
    """A template built for every quarter (or fiscal year) as it ends, its owners asked for
    commentary, and each approved edition emailed to the recipients with its PDF."""

    template = models.CharField(max_length=20, choices=Template.choices)
    perspective = models.ForeignKey(
        Perspective, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    recipients = models.TextField(help_text=_("Email addresses, one a line: staff or outside."))
    commentary_days = models.PositiveSmallIntegerField(
        default=10, help_text=_("Days the owners have for their commentary.")
    )
    is_active = models.BooleanField(default=True)
    # The last period built ("2026-Q1", "2026-FY"): claimed with a conditional UPDATE so a
    # period is built once however many times the job runs.
    last_period = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_template_display()}, {self.get_cadence_display().lower()}"

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Delivery(TenantModel):
    """One approved edition emailed to one address, once (``sent_at`` claimed)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    address = models.EmailField()
    staff = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "address"], name="one_delivery_per_address")
        ]
