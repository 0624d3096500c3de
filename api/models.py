"""API tokens: one per agency and person (or service account), shown once, stored as the
SHA-256 of a high-entropy secret with a short public prefix to find it by.

A token reads as ``shk_<prefix>_<secret>``: the prefix (8 characters) is stored in clear
and indexed, the whole token only as its hash. ``scopes`` is ``read`` or ``read,write``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategyhub.models import TenantModel


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiToken(TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text=_("What uses it, e.g. “CAD nightly export”; shown in history.")
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)  # sha256 hex of the whole token
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "user"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class TombstoneKind(models.TextChoices):
    MEASURE_VALUE = "measure_value", _("Measure value")
    CHECK_IN = "check_in", _("Check-in")
    MEASURE = "measure", _("Measure")
    KEY_RESULT = "key_result", _("Key result")
    OKR_OBJECTIVE = "okr_objective", _("OKR objective")
    STRATEGIC_OBJECTIVE = "objective", _("Strategic objective")
    PLAN = "plan", _("Strategic plan")
    PERSPECTIVE = "perspective", _("Perspective")
    THEME = "theme", _("Theme")
    CYCLE = "cycle", _("OKR cycle")
    UNIT = "unit", _("Unit")
    OWNER = "owner", _("Owner (a person, by id)")


class TombstoneReason(models.TextChoices):
    DELETED = "deleted", _("Deleted")
    ARCHIVED = "archived", _("Archived")  # removed again when it is restored
    DEACTIVATED = "deactivated", _("Deactivated")  # a person; removed again when reactivated


# How long a tombstone is kept: a feed that last ran longer ago reads everything again.
TOMBSTONE_DAYS = 90


class Tombstone(TenantModel):
    """A deleted or archived row (or a deactivated person), so incremental feeds
    (``updated_since``) can drop it too. Written by ``api.receivers``; an archived row's
    tombstone goes when it is restored; every tombstone is pruned after
    :data:`TOMBSTONE_DAYS` (``api.tasks.prune_tombstones``, daily)."""

    kind = models.CharField(max_length=20, choices=TombstoneKind.choices)
    object_id = models.BigIntegerField()
    reason = models.CharField(
        max_length=12, choices=TombstoneReason.choices, default=TombstoneReason.DELETED
    )
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["organization", "deleted_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} deleted {self.deleted_at:%Y-%m-%d}"
