"""The focus of the strategy: how much attention each objective gets in each quarter of a
fiscal year. Import these from ``scorecards.models``, which gathers every model of the app.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecards.models.strategy import StrategicObjective
from strategyhub.models import TenantModel


class FocusLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FocusEntry(TenantModel):
    """How much attention an objective gets in one quarter of a fiscal year."""

    objective = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="focus"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    level = models.CharField(max_length=6, choices=FocusLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "fiscal_year", "quarter"], name="one_focus_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective} FY{self.fiscal_year} Q{self.quarter}: {self.level}"
