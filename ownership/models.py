"""Ownership settings, alerts and notification preferences (tenant-scoped)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from strategyhub.models import TenantModel


class OwnershipSettings(TenantModel):
    """One row per agency; created with defaults the first time it is needed."""

    checkin_stale_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A key result without a check-in for longer than this is stale."),
    )
    measure_grace_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(120)],
        help_text=_("Days after a period ends before a missing measure value makes it stale."),
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        default=0,
        choices=[
            (i, day)
            for i, day in enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            )
        ],
        help_text=_("Owners are reminded on this day, in the agency's time zone."),
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=9, validators=[MaxValueValidator(23)], help_text=_("Hour of the reminder (0–23).")
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(23)],
        help_text=(
            _(
                "Hour (0–23, the agency's time zone) of the daily ownership scan and digests; "
                "weekly digests go out at this hour on Mondays."
            )
        ),
    )
    weekly_unowned_digest = models.BooleanField(
        default=True,
        help_text=_("Every week, admins get the list of what nobody owns or whose owner left."),
    )
    digest_off_reason = models.TextField(
        blank=True, help_text=_("Required to switch the weekly digest off: why?")
    )

    class Meta:
        verbose_name_plural = _("ownership settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_ownership_settings")
        ]

    def __str__(self) -> str:
        return f"Ownership settings of {self.organization}"

    def clean(self):
        super().clean()
        if not self.weekly_unowned_digest and not self.digest_off_reason.strip():
            raise ValidationError(
                {"digest_off_reason": gettext("Say why the agency switches off the weekly digest.")}
            )


class AlertKind(models.TextChoices):
    UNOWNED = "unowned", _("Item has no owner")
    OWNER_INACTIVE = "owner_inactive", _("Owner is inactive")
    CHECKIN_DUE = "checkin_due", _("Check-in due")
    CHECKIN_OVERDUE = "checkin_overdue", _("Check-in overdue")
    KR_BEHIND = "kr_behind", _("Key result behind pace")
    MEASURE_OFF_TRACK = "measure_off_track", _("Measure turned off track")
    MEASURE_STALE = "measure_stale", _("Measure stale")
    KR_MISSED_THREE = "kr_missed_three", _("Key result missed three quarters")
    CYCLE_CLOSING = "cycle_closing", _("Cycle closing in a week")


class AlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at=None)

    def unread_for(self, user):
        return self.filter(recipient=user, read_at=None, resolved_at=None)


class Alert(TenantModel):
    """One alert to one person about one item for one period. The de-duplication key is
    unique, so a scan run twice (or by two workers at once) raises each alert once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    item_type = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    item_label = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    message = models.CharField(max_length=500)
    period = models.CharField(max_length=20, help_text=_("e.g. 2026-W47, 2026-11, Q2 FY 2026"))
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(
        organization="organization", _manager_class=models.Manager.from_queryset(AlertQuerySet)
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "resolved_at"]),
            models.Index(fields=["kind", "item_type", "item_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.item_label}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off (in the app only)")


class NotificationPreference(TenantModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "kind"], name="one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.delivery}"


class ScheduledRun(TenantModel):
    """A scheduled job run for an agency and a local day or week (``ownership.schedule``):
    the unique row is the claim, so a beat restart, a duplicate fan-out or two beats send
    nothing twice."""

    job = models.CharField(max_length=40)
    period = models.CharField(max_length=20, help_text=_("Local day (2026-11-22) or ISO week."))
    queued_at = models.DateTimeField(default=timezone.now)
    # Stamped by the run's last step: a claim queued long ago and never finished was lost
    # (a broker that lost its queue, a worker killed mid-run) and is queued again.
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "job", "period"], name="one_scheduled_run_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period} for {self.organization_id}"
