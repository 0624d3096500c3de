"""The execution layer: quarterly and annual cycles, OKR objectives in an alignment tree,
key results, and weekly check-ins. Tenant-scoped; objectives, key results and check-ins
are audited (django-simple-history), so an edited check-in keeps its earlier version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from okrs import calc
from scorecards.models import (
    VALUE_DIGITS,
    CausalLink,
    Measure,
    StrategicObjective,
    rate_per_field,
    unit_kind_field,
)
from strategyhub import fiscal, units
from strategyhub.external_keys import external_key_constraint, external_key_field
from strategyhub.models import TenantModel, Unit, fiscal_label_style
from strategyhub.stamping import Stamped
from strategyhub.ui import dates
from strategyhub.ui.formatting import format_quantity

# A stored score (0–1) at full precision: one integer digit and ``calc.SCORE_PLACES`` (16)
# decimals, the precision every ``calc`` score already has. Three decimals made pages disagree
# (an objective's score and a status computed from already-rounded values, a review that
# could not save its own proposal); 16 keep 2/3 as 0.6666666666666667, far below any display
# rounding (two places, ``format_score``) and the status thresholds. Scores are rounded only
# at display.
SCORE_DIGITS = {"max_digits": calc.SCORE_PLACES + 1, "decimal_places": calc.SCORE_PLACES}


class CycleKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    ANNUAL = "annual", _("Fiscal year")


class CycleStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    IN_REVIEW = "in_review", _("In review")
    CLOSED = "closed", _("Closed")


class Cycle(Stamped, TenantModel):
    kind = models.CharField(max_length=8, choices=CycleKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(help_text=_("Named by the year it starts in."))
    quarter = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(
        max_length=10, choices=CycleStatus.choices, default=CycleStatus.PLANNING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_key = external_key_field("CYC")

    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(
                fields=["organization", "kind", "fiscal_year", "quarter"],
                name="one_cycle_per_period",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def fiscal_year_label(self) -> str:
        """The same naming as the rest of the product (strategyhub.fiscal): "FY 2026" for a
        calendar fiscal year, else "FY 2026–27" (or "FY 2027": the agency's label style)."""
        start_month = fiscal.add_months(self.start, -3 * ((self.quarter or 1) - 1)).month
        style = fiscal_label_style(self)
        return fiscal.fiscal_year_containing(self.start, start_month, style).label

    @property
    def label(self) -> str:
        if self.kind == CycleKind.QUARTER:
            return f"Q{self.quarter} {self.fiscal_year_label}"
        return self.fiscal_year_label

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class OkrLevel(models.TextChoices):
    # "agency" here is the OKR level shown to people (the whole agency), not the tenant.
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")
    TEAM = "team", _("Team")
    INDIVIDUAL = "individual", _("Individual")


LEVELS_NEEDING_STRATEGY = {OkrLevel.AGENCY, OkrLevel.UNIT}


class OkrStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    REVIEWED = "reviewed", _("Reviewed")


class OkrObjective(Stamped, TenantModel):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    level = models.CharField(max_length=10, choices=OkrLevel.choices, default=OkrLevel.UNIT)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("People who help the owner; the owner stays the one accountable."),
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="okr_objectives",
        help_text=_("The strategic objective this serves (required at agency and unit level)."),
    )
    causal_link = models.ForeignKey(
        CausalLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The OKR objective this one contributes to."),
    )
    status = models.CharField(max_length=10, choices=OkrStatus.choices, default=OkrStatus.ACTIVE)
    order = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The objective this one was cloned from (``okrs.cloning``; audited in the history).
    cloned_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
        editable=False,
    )
    # The quarterly review.
    # Full precision: the computed score when the reviewer kept the proposal, else as typed.
    final_score = models.DecimalField(**SCORE_DIGITS, null=True, blank=True)
    what_worked = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    # Derived state, written with every change of its live results' scores, weights or
    # archived state (``okrs.keyresults.rescore_objective``): the weighted mean of their
    # full-precision scores (frozen ones once closed); None without live key results.
    score = models.DecimalField(**SCORE_DIGITS, null=True, blank=True, editable=False)
    external_key = external_key_field("OKR")

    history = HistoricalRecords(excluded_fields=["score"])
    member_fields = ("owner",)

    class Meta:
        ordering = ["cycle__start", "order", "title"]
        constraints = [external_key_constraint()]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.level in LEVELS_NEEDING_STRATEGY and not self.strategic_objective_id:
            errors["strategic_objective"] = gettext(
                "Agency- and unit-level objectives must name the strategic objective they serve."
            )
        if self.parent_id:
            parent = OkrObjective._base_manager.select_related("cycle").get(pk=self.parent_id)
            if parent.organization_id == self.organization_id and self.cycle_id:
                cycle = Cycle._base_manager.get(pk=self.cycle_id)
                if parent.cycle.start > cycle.start:
                    errors["parent"] = gettext(
                        "The parent objective cannot belong to a later cycle."
                    )
                elif parent.cycle.fiscal_year != cycle.fiscal_year:
                    # A quarter aligns to its own fiscal year's objectives (the annual ones
                    # or an earlier quarter's), never to another year's.
                    errors["parent"] = gettext(
                        "Choose an objective of %(fiscal_year_label)s: “%(title)s” belongs to "
                        "%(label)s."
                    ) % {
                        "fiscal_year_label": cycle.fiscal_year_label,
                        "title": parent.title,
                        "label": parent.cycle.label,
                    }
                if parent.pk == self.pk:
                    errors["parent"] = gettext("An objective cannot contribute to itself.")
        if self.causal_link_id and self.strategic_objective_id:
            link = CausalLink._base_manager.get(pk=self.causal_link_id)
            if self.strategic_objective_id not in (link.source_id, link.target_id):
                errors["causal_link"] = gettext(
                    "Choose a link that starts or ends at the strategic objective."
                )
        if errors:
            raise ValidationError(errors)


class KeyResult(Stamped, TenantModel):
    objective = models.ForeignKey(
        OkrObjective, on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("People who help the owner; the owner stays the one accountable."),
    )
    kind = models.CharField(
        max_length=12,
        choices=[
            (calc.Kind.METRIC, "Increase or decrease (start → target)"),
            (calc.Kind.HOLD, "Hold the line (stay at or beyond a threshold)"),
            (calc.Kind.MILESTONE, "Milestone (done or not)"),
            (calc.Kind.QUALITATIVE, "Qualitative (0–1 rubric with evidence)"),
        ],
        default=calc.Kind.METRIC,
    )
    unit_kind = unit_kind_field()
    rate_per = rate_per_field()
    decimals = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(4)])
    start_value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    target_value = models.DecimalField(
        **VALUE_DIGITS,
        null=True,
        blank=True,
        help_text=(
            _(
                "The stretch target (0.7 of the way counts as success); for hold-the-line, "
                "the threshold."
            )
        ),
    )
    floor_value = models.DecimalField(
        **VALUE_DIGITS, null=True, blank=True, help_text=_("Optional: the scorecard's minimum.")
    )
    hold_direction = models.CharField(
        max_length=10,
        choices=[
            (calc.HoldDirection.AT_LEAST, "At least"),
            (calc.HoldDirection.AT_MOST, "At most"),
        ],
        blank=True,
    )
    due_date = models.DateField(null=True, blank=True, help_text=_("Milestones: when it is due."))
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_results",
        help_text=_("The scorecard measure this result feeds."),
    )
    is_counterweight = models.BooleanField(
        default=False, help_text=_("A guardrail that must not get worse while others are pushed.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Carry-over at closing (``okrs.review.close_cycle``): the chain the "missed three
    # quarters running" rule follows. A clone leaves it alone and names its original in
    # ``cloned_from`` instead (``okrs.cloning``; audited in the history).
    predecessor = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successor"
    )
    cloned_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
        editable=False,
    )
    review_decision = models.CharField(
        max_length=10,
        blank=True,
        choices=[("complete", "Complete"), ("carry_over", "Carry over"), ("drop", "Drop")],
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # Denormalised from the check-ins on every save of one, for fast lists.
    current_value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, editable=False)
    current_as_of = models.DateField(null=True, blank=True, editable=False)
    # Full precision (``SCORE_DIGITS``); frozen at closing as stored. Quarters closed before
    # the widening keep the three-decimal scores they were closed with.
    score = models.DecimalField(**SCORE_DIGITS, default=0, editable=False)
    frozen_score = models.DecimalField(**SCORE_DIGITS, null=True, blank=True, editable=False)
    # When the result came into being: check-ins are expected from the later of its cycle's
    # start and this day (``checkins_expected_from``). Rows older than the field were
    # backfilled from their history (migration 0004).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    external_key = external_key_field("KR")

    history = HistoricalRecords(
        excluded_fields=["current_value", "current_as_of", "score", "created_at"]
    )
    member_fields = ("owner",)
    # What ``spec`` reads: what a key result's score depends on besides its check-ins.
    SPEC_FIELDS = ("kind", "start_value", "target_value", "hold_direction", "due_date")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [external_key_constraint()]

    def __str__(self) -> str:
        return self.title

    def checkins_expected_from(self, cycle_start: dt.date, zone: dt.tzinfo) -> dt.date:
        """The first day weekly check-ins are expected: the later of the cycle's start and
        the day the result was created (in the agency's time zone ``zone``). A result added
        mid-quarter owes nothing for the weeks before it existed."""
        return max(cycle_start, self.created_at.astimezone(zone).date())

    @property
    def is_archived(self) -> bool:
        """Archived itself or through its objective (needs ``objective`` loaded): either way
        it takes no check-ins and feeds no measure."""
        return self.archived_at is not None or self.objective.archived_at is not None

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        kind = calc.Kind(self.kind)
        if kind == calc.Kind.METRIC:
            if self.start_value is None:
                errors["start_value"] = gettext("Enter where the result starts.")
            if self.target_value is None:
                errors["target_value"] = gettext("Enter the target.")
            elif self.start_value is not None and self.start_value == self.target_value:
                errors["target_value"] = gettext(
                    "The target equals the start: make it a hold-the-line result, or set a target."
                )
        elif kind == calc.Kind.HOLD:
            if self.target_value is None:
                errors["target_value"] = gettext("Enter the threshold to hold.")
            if not self.hold_direction:
                errors["hold_direction"] = gettext(
                    "Say whether to stay at least or at most the threshold."
                )
        elif kind == calc.Kind.MILESTONE and self.due_date is None:
            errors["due_date"] = gettext("A milestone needs its due date.")
        if units.needs_base(self.unit_kind) and not self.rate_per:
            errors["rate_per"] = gettext("A rate needs its base, e.g. 100000 for “per 100,000”.")
        elif not units.needs_base(self.unit_kind):
            self.rate_per = None  # a base means nothing outside a rate
        if kind in (calc.Kind.METRIC, calc.Kind.HOLD):
            for name in ("start_value", "target_value", "floor_value"):
                message = units.out_of_bounds(self.unit_kind, getattr(self, name))
                if message and name not in errors:
                    errors[name] = message
        if self.due_date is not None and self.objective_id is not None:
            cycle = self.objective.cycle
            if not cycle.contains(self.due_date):
                errors["due_date"] = gettext(
                    "Choose a due date in %(cycle)s (%(start)s to %(end)s)."
                ) % {
                    "cycle": cycle.label,
                    "start": dates.full_date(cycle.start),
                    "end": dates.full_date(cycle.end),
                }
        measure = Measure._base_manager.get(pk=self.measure_id) if self.measure_id else None
        if measure is not None and not measure.is_calculated and self._measure_is_new():
            # Refused rather than warned: an entered measure never reads its key results,
            # so the feed would look like a roll-up that never happens. Only a feed being
            # set is refused; one whose measure was later switched to entered stays editable.
            errors["measure"] = gettext(
                "“%(name)s” takes values typed in by its owner, so this result would "
                "never roll up into it: make the measure calculated from its key "
                "results first, or leave this empty."
            ) % {"name": measure.name}
        elif measure is not None and kind in (calc.Kind.METRIC, calc.Kind.HOLD):
            # Its values roll up converted into the measure's unit (``okrs.rollup``).
            refusal = units.feed_refusal(
                self.unit_kind,
                measure.unit_kind,
                source_base=self.rate_per,
                target_base=measure.rate_per,
            )
            if refusal:
                errors["measure"] = refusal
        if errors:
            raise ValidationError(errors)

    def _measure_is_new(self) -> bool:
        """Whether this save sets the measure it feeds (a new result, or another measure)."""
        if self.pk is None:
            return True
        stored = KeyResult._base_manager.filter(pk=self.pk).values_list("measure_id", flat=True)
        return stored.first() != self.measure_id

    def spec(self) -> calc.KRSpec:
        return calc.kr_spec(
            self.kind, self.start_value, self.target_value, self.hold_direction, self.due_date
        )

    def format(self, value: Decimal | None) -> str:
        """A value for display, with its unit (``strategyhub.ui.formatting``)."""
        return format_quantity(value, self.decimals, self.unit_kind, self.rate_per)


class CheckIn(TenantModel):
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="checkins")
    as_of = models.DateField(help_text=_("The week (any day of it) the check-in reports on."))
    value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    done = models.BooleanField(null=True, blank=True)
    rubric_score = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    confidence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("0 (no chance) to 10 (certain) that the result will be reached."),
    )
    moved = models.TextField(_("what moved"), blank=True)
    blockers = models.TextField(blank=True)
    next_step = models.TextField(blank=True)
    evidence = models.TextField(
        blank=True, help_text=_("What you saw or heard, e.g. what residents said.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    external_key = external_key_field("CHK")

    history = HistoricalRecords()

    class Meta:
        # The current check-in: the latest "as of" date, ties to the one created last (an
        # edit of an older check-in does not make it current; ``okrs.calc.current``).
        ordering = ["-as_of", "-created_at"]
        indexes = [models.Index(fields=["key_result", "-as_of", "-created_at"])]
        constraints = [external_key_constraint()]

    def __str__(self) -> str:
        return f"{self.key_result} as of {self.as_of}"

    def reading(self) -> calc.Reading:
        return calc.Reading(
            as_of=self.as_of,
            created_at=self.created_at,
            value=self.value,
            done=self.done,
            rubric=self.rubric_score,
        )
