"""Publications: immutable, versioned snapshots of what residents may see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategyhub.models import TenantModel


class Schedule(models.TextChoices):
    NONE = "", _("Only when an admin publishes")
    MONTHLY = "monthly", _("Every month (on the 1st)")
    QUARTERLY = "quarterly", _("Every fiscal quarter (on its first day)")


class PublicSite(TenantModel):
    """The agency's public-dashboard switch and options (one row per agency)."""

    is_published = models.BooleanField(default=False)
    include_okrs = models.BooleanField(
        default=False, help_text=_("Also publish the current quarter's OKRs with their scores.")
    )
    schedule = models.CharField(max_length=10, choices=Schedule.choices, blank=True, default="")
    last_scheduled_run = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_public_site")]

    def __str__(self) -> str:
        return f"Public site of {self.organization}"


class Publication(TenantModel):
    """One published version. The document never changes after it is written."""

    version = models.PositiveIntegerField()
    document = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="one_version")
        ]

    def __str__(self) -> str:
        return f"{self.organization} publication {self.version}"

    def save(self, *args, **kwargs):
        if self.pk and "update_fields" not in kwargs:
            raise ValueError("A publication is immutable; publish a new version instead.")
        super().save(*args, **kwargs)


class PublicationEvent(TenantModel):
    """Audit trail: who published, unpublished or changed the schedule, and when."""

    action = models.CharField(max_length=20)
    detail = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"
