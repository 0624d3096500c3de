"""The platform's own bookkeeping rows, not the agency's plan: cache invalidations still to
apply and the keys of writes already made once. Import these from ``strategyhub.models``,
which gathers every model of the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategyhub.models.core import TenantModel


class PendingInvalidation(models.Model):
    """A cache invalidation Redis did not take (``strategyhub.caching.invalidation``): a
    page version to bump or a key to delete. Kept in PostgreSQL, so it is applied even when
    the process that failed ends before Redis answers again; the beat task
    ``strategyhub.tasks.replay_cache_invalidations`` applies and removes these rows. Not an
    agency's data: cache keys of any agency, no tenant scope."""

    class Operation(models.TextChoices):
        BUMP = "bump", _("Bump a version")
        DELETE = "delete", _("Delete a key")

    key = models.CharField(max_length=250, unique=True)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    failed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"


class IdempotencyKey(TenantModel):
    """One write a person asked for once (``strategyhub.idempotency``): the key their form
    or API client sent, what kind of write (``scope``), when, and a summary of the result
    to answer a repeat with. The unique constraint is the guard: a second request with the
    same key waits for the first's transaction, then finds its row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, blank=True)
    response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "scope", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
