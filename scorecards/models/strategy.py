"""The strategic layer: plan, perspectives, themes, objectives, causal links and measures
(what is measured, how, and its five-year target). Every model is tenant-scoped; changes to
the plan, objectives and measures are audited with django-simple-history (who changed what,
when), shown on each item's page. Import these from ``scorecards.models``, which gathers
every model of the app.

Statuses are never stored: they are computed from values by ``scorecards.calc``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scorecards import calc
from strategyhub import fiscal, units
from strategyhub.external_keys import external_key_constraint, external_key_field
from strategyhub.models import TenantModel, Unit
from strategyhub.stamping import Stamped
from strategyhub.ui.formatting import format_quantity

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 6}


def new_public_id() -> str:
    """A short, random, stable identifier for public URLs (never the database id)."""
    return secrets.token_hex(5)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class StrategicPlan(Stamped, TenantModel):
    title = models.CharField(max_length=200)
    mission = models.TextField()
    vision = models.TextField()
    values = models.TextField(blank=True, help_text=_("The agency's values, one per line."))
    first_fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Fiscal years are named by the calendar year they start in."),
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    external_key = external_key_field("PLN")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_fiscal_year", "title"]
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="active"),
                name="one_active_plan_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=models.F("first_fiscal_year")),
                name="plan_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if (
            self.first_fiscal_year
            and self.last_fiscal_year
            and self.last_fiscal_year < self.first_fiscal_year
        ):
            raise ValidationError(
                {"last_fiscal_year": gettext("The last year comes after the first.")}
            )
        if self.status == PlanStatus.ACTIVE and self.organization_id:
            clash = StrategicPlan._base_manager.filter(
                organization_id=self.organization_id, status=PlanStatus.ACTIVE
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {
                        "status": gettext(
                            "Another plan is active; archive it before activating this one."
                        )
                    }
                )

    @property
    def fiscal_years(self) -> range:
        return range(self.first_fiscal_year, self.last_fiscal_year + 1)

    def start_date(self, fiscal_start_month: int) -> dt.date:
        return fiscal.fiscal_year(self.first_fiscal_year, fiscal_start_month).start

    def end_date(self, fiscal_start_month: int) -> dt.date:
        return fiscal.fiscal_year_end(self.last_fiscal_year, fiscal_start_month)


class Perspective(Stamped, TenantModel):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="perspectives")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(
        default=0, help_text=_("1 is the top band of the strategy map (mission / citizen value).")
    )
    external_key = external_key_field("PER")

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(fields=["plan", "name"], name="perspective_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(Stamped, TenantModel):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    external_key = external_key_field("THM")

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(fields=["plan", "name"], name="theme_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class StrategicObjective(Stamped, TenantModel):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="objectives")
    perspective = models.ForeignKey(
        Perspective, on_delete=models.PROTECT, related_name="objectives"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("People who help the owner; the owner stays the one accountable."),
    )
    public_id = models.CharField(max_length=12, default=new_public_id, unique=True, editable=False)
    review_flag = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Why this objective needs the annual review (set when execution keeps missing)."
        ),
    )
    external_key = external_key_field("OBJ")

    history = HistoricalRecords()
    member_fields = ("owner",)

    class Meta:
        ordering = ["perspective__order", "order", "title"]
        constraints = [external_key_constraint()]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.perspective_id and self.plan_id and self.perspective.plan_id != self.plan_id:
            errors["perspective"] = gettext("Choose a perspective of this plan.")
        if self.theme_id and self.plan_id and self.theme.plan_id != self.plan_id:
            errors["theme"] = gettext("Choose a theme of this plan.")
        if errors:
            raise ValidationError(errors)


class CausalLink(TenantModel):
    """An arrow of the strategy map: achieving ``source`` drives ``target``."""

    source = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="links_in"
    )
    pathway = models.CharField(
        max_length=300, blank=True, help_text=_("How the one drives the other, in words.")
    )
    external_key = external_key_field("LNK")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="no_link_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


def unit_kind_field() -> models.CharField:
    """The unit of measure of a measure or a key result: a code of ``strategyhub.units``."""
    return models.CharField(
        _("unit of measure"),
        max_length=units.CODE_LENGTH,
        choices=units.CHOICES,
        default=units.UnitKind.NUMBER.value,
    )


def rate_per_field() -> models.PositiveIntegerField:
    """The base of a rate ("per 100,000"): required for a rate, empty for any other unit."""
    return models.PositiveIntegerField(
        _("rate base"),
        null=True,
        blank=True,
        help_text=_("For a rate only: per how many (e.g. per 100,000)."),
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal only")


class ValueSource(models.TextChoices):
    ENTERED = "entered", _("Entered by its owner (or imported)")
    CALCULATED = "calculated", _("Calculated from key results")


# How a calculated measure combines the current values of the results that feed it (the
# okrs app implements them; the choice belongs to the measure).
ROLLUP_CHOICES = [
    ("latest", "The latest value of any feeding result"),
    ("sum", "Sum of their values"),
    ("mean", "Mean of their values"),
    ("min", "Lowest of their values"),
    ("max", "Highest of their values"),
    ("score_mean", "Weighted mean of their scores"),
]


class Measure(Stamped, TenantModel):
    objective = models.ForeignKey(
        StrategicObjective, on_delete=models.PROTECT, related_name="measures"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True, help_text=_("What is counted, and how."))
    data_source = models.CharField(max_length=200, blank=True)
    unit_kind = unit_kind_field()
    rate_per = rate_per_field()
    decimals = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(4)], help_text=_("Shown decimals (0–4).")
    )
    # The measure's own bounds (e.g. a score is 1–5), checked with its unit's (a share within
    # 0–100 %, a count at least 0: ``strategyhub.units``) by ``out_of_bounds``.
    min_value = models.DecimalField(
        **VALUE_DIGITS,
        null=True,
        blank=True,
        verbose_name=_("Lowest possible value"),
        help_text=_("Optional: values and targets below it are refused."),
    )
    max_value = models.DecimalField(
        **VALUE_DIGITS,
        null=True,
        blank=True,
        verbose_name=_("Highest possible value"),
        help_text=_("Optional: values and targets above it are refused."),
    )
    polarity = models.CharField(
        max_length=10,
        choices=[
            (calc.Polarity.HIGHER, "Higher is better"),
            (calc.Polarity.LOWER, "Lower is better"),
            (calc.Polarity.RANGE, "Stay within a range"),
        ],
        default=calc.Polarity.HIGHER,
    )
    baseline_value = models.DecimalField(**VALUE_DIGITS)
    baseline_date = models.DateField()
    target_value = models.DecimalField(
        **VALUE_DIGITS, null=True, blank=True, help_text=_("The five-year target.")
    )
    range_low = models.DecimalField(
        **VALUE_DIGITS, null=True, blank=True, help_text=_("Range measures: the lowest acceptable.")
    )
    range_high = models.DecimalField(
        **VALUE_DIGITS,
        null=True,
        blank=True,
        help_text=_("Range measures: the highest acceptable."),
    )
    tolerance = models.DecimalField(
        **VALUE_DIGITS,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("How far a value may miss its target and count as at risk, not off track."),
    )
    update_frequency = models.CharField(
        max_length=10,
        choices=[(f.value, f.value.title()) for f in fiscal.Frequency],
        default=fiscal.Frequency.MONTHLY,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The organisational unit the measure belongs to (its unit of measure is unit_kind, with
    # rate_per for a rate).
    org_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    value_source = models.CharField(
        max_length=12, choices=ValueSource.choices, default=ValueSource.ENTERED
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("People who help the owner; the owner stays the one accountable."),
    )
    public_id = models.CharField(max_length=12, default=new_public_id, unique=True, editable=False)
    rollup_method = models.CharField(
        max_length=12,
        choices=ROLLUP_CHOICES,
        default="latest",
        help_text=_("For a calculated measure: how the feeding key results' values combine."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    external_key = external_key_field("MEA")

    history = HistoricalRecords()
    member_fields = ("owner",)

    class Meta:
        ordering = ["order", "name"]
        constraints = [external_key_constraint()]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.polarity == calc.Polarity.RANGE:
            if self.range_low is None:
                errors["range_low"] = gettext("A range measure needs its lowest acceptable value.")
            if self.range_high is None:
                errors["range_high"] = gettext(
                    "A range measure needs its highest acceptable value."
                )
            if (
                self.range_low is not None
                and self.range_high is not None
                and self.range_low >= self.range_high
            ):
                errors["range_high"] = gettext(
                    "The highest acceptable value must be above the lowest."
                )
        else:
            if self.target_value is None:
                errors["target_value"] = gettext("Enter the five-year target.")
            elif self.baseline_value is not None and self.target_value == self.baseline_value:
                errors["target_value"] = gettext(
                    "The target equals the baseline, so there is no progress to measure; "
                    "use a range measure to hold a level."
                )
            elif self.baseline_value is not None:
                wrong_way = (
                    self.polarity == calc.Polarity.HIGHER
                    and self.target_value < self.baseline_value
                ) or (
                    self.polarity == calc.Polarity.LOWER and self.target_value > self.baseline_value
                )
                if wrong_way:
                    errors["polarity"] = gettext(
                        "The target lies the other way from the baseline; check which "
                        "direction is better."
                    )
        if units.needs_base(self.unit_kind) and not self.rate_per:
            errors["rate_per"] = gettext("A rate needs its base, e.g. 100000 for “per 100,000”.")
        elif not units.needs_base(self.unit_kind):
            self.rate_per = None  # a base means nothing outside a rate
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value >= self.max_value
        ):
            errors["max_value"] = gettext("The highest possible value must be above the lowest.")
        else:
            for name in ("baseline_value", "target_value", "range_low", "range_high"):
                if name not in errors and (message := self.out_of_bounds(getattr(self, name))):
                    errors[name] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_calculated(self) -> bool:
        return self.value_source == ValueSource.CALCULATED

    # What decides how a calculated measure's values are made: an edit of any of them sends
    # ``scorecards.signals.measure_rollup_changed``.
    ROLLUP_FIELDS = ("value_source", "rollup_method", "update_frequency", "unit_kind", "rate_per")

    def rollup_settings(self) -> tuple:
        return tuple(getattr(self, name) for name in self.ROLLUP_FIELDS)

    @property
    def target_band(self) -> calc.Band:
        if self.polarity == calc.Polarity.RANGE:
            return calc.Band(self.range_low, self.range_high)
        return calc.Band.point(self.target_value)

    def bounds_message(self, value: Decimal | None) -> str | None:
        """The message for ``value`` outside the measure's own bounds (``min_value`` and
        ``max_value``, each optional), or None when it is inside or there are none."""
        if value is None:
            return None
        low, high = self.min_value, self.max_value
        if (low is None or value >= low) and (high is None or value <= high):
            return None
        if low is not None and high is not None:
            return f"This measure's values lie from {self.format(low)} to {self.format(high)}."
        if low is not None:
            return f"This measure's values are at least {self.format(low)}."
        return f"This measure's values are at most {self.format(high)}."

    def out_of_bounds(self, value: Decimal | None) -> str | None:
        """The message for ``value`` outside the bounds its unit allows
        (``strategyhub.units.out_of_bounds``: a share within 0–100 %, a count or a duration
        at least 0) or the measure's own (``bounds_message``), else None."""
        return units.out_of_bounds(self.unit_kind, value) or self.bounds_message(value)

    def format(self, value: Decimal | None) -> str:
        """A value for display, with its unit: rounded once, by ``strategyhub.ui.formatting``."""
        return format_quantity(value, self.decimals, self.unit_kind, self.rate_per)
