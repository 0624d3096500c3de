"""A measure's series over time: its yearly targets, the values reported for its periods,
and the state derived from both that list pages read. Targets and values are audited with
django-simple-history, shown on the measure's page. Import these from ``scorecards.models``,
which gathers every model of the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scorecards import calc
from scorecards.models.strategy import VALUE_DIGITS, Measure
from strategyhub.models import TenantModel
from strategyhub.stamping import Stamped


class MeasureTarget(Stamped, TenantModel):
    """An explicit target for one fiscal year: the floor (minimum acceptable) and an
    optional stretch. For a range measure the floor is the range's low end and
    ``range_high`` its high end."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    fiscal_year = models.PositiveSmallIntegerField()
    floor = models.DecimalField(**VALUE_DIGITS)
    stretch = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    range_high = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "fiscal_year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.measure} FY {self.fiscal_year}"

    @property
    def band(self) -> calc.Band:
        if self.range_high is not None:
            return calc.Band(self.floor, self.range_high)
        return calc.Band.point(self.floor)


class ValueOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    KEY_RESULTS = "key_results", _("Key results")


class MeasureValue(TenantModel):
    """One value per measure and period (the first day of its month, quarter or year).
    A correction updates the row; the earlier value stays in its history."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text=_("First day of the period the value is for."))
    value = models.DecimalField(**VALUE_DIGITS)
    note = models.TextField(blank=True)
    source = models.CharField(
        max_length=12, choices=ValueOrigin.choices, default=ValueOrigin.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_value_per_period")
        ]
        indexes = [models.Index(fields=["measure", "-period"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.period:%Y-%m}: {self.value}"


class MeasureState(Stamped, TenantModel):
    """A measure's derived state, written by ``scorecards.state.refresh`` with every write
    that changes it (in the same transaction): what list pages read instead of values and
    targets. Only what does not depend on today's date is stored; staleness and the target
    due now are derived at read time (``scorecards.state``)."""

    PROGRESS_DECIMALS = 16
    PROGRESS_DIGITS = 40  # 24 before the point: values have 14, a target's span 6 places

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    latest_period = models.DateField(null=True)
    latest_value = models.DecimalField(**VALUE_DIGITS, null=True)
    # How the latest value compares with the target due at the end of its period
    # (on_track / at_risk / off_track); empty without a value.
    comparison = models.CharField(max_length=10, blank=True)
    expected_low = models.DecimalField(**VALUE_DIGITS, null=True)
    expected_high = models.DecimalField(**VALUE_DIGITS, null=True)
    # Share of the way from the baseline to the five-year target, unclamped, full precision.
    progress = models.DecimalField(
        max_digits=PROGRESS_DIGITS, decimal_places=PROGRESS_DECIMALS, null=True
    )
    trend = models.CharField(max_length=10, default="unknown")
    trend_since = models.DateField(null=True)
    # The last values for the sparkline: [[period ISO date, value as text], …], oldest first.
    recent = models.JSONField(default=list)
    has_yearly_targets = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"State of measure {self.measure_id}"
