"""Writes of a plan's structure: creating a plan with its agency's preset perspectives,
saving plans, perspectives, themes and objectives, archiving and deleting objectives,
the causal links of the strategy map and the quarters of the focus map. Each refusal is a
``ValidationError`` subclass whose message is what the page shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext

from scorecards.models import (
    CausalLink,
    FocusEntry,
    FocusLevel,
    Perspective,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from strategyhub.models import Organization, PerspectivePreset

if TYPE_CHECKING:
    from scorecards.forms import (
        CausalLinkForm,
        ObjectiveForm,
        PerspectiveForm,
        PlanForm,
        ThemeForm,
    )

PRESET_PERSPECTIVES = {
    PerspectivePreset.CLASSIC_4: [
        ("Financial", "How do we look to those who fund us?"),
        ("Customer", "How do those we serve see us?"),
        ("Internal Process", "What must we excel at?"),
        ("Learning & Growth", "How do we keep improving and changing?"),
    ],
    PerspectivePreset.GOVERNMENT_5: [
        ("Mission / Citizen Value", "The outcomes residents get from us."),
        ("Stakeholder / Partner", "What partners, council and community need from us."),
        ("Financial Stewardship", "Using public money well."),
        ("Internal Process", "What we must do well to deliver."),
        ("Learning Growth & Workforce", "The people, skills and tools the rest stands on."),
    ],
}

QUARTERS = range(1, 5)


class PartInUse(ValidationError):
    """A perspective or theme that still has objectives cannot be deleted."""


class ObjectiveInUse(ValidationError):
    """An objective with measures or causal links cannot be deleted (archive it instead)."""


class FocusRefused(ValidationError):
    """A focus map with a level that is not one of High, Medium, Low or blank."""


# --- Plans ----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    organization: Organization,
    *,
    title: str,
    mission: str,
    vision: str,
    first_fiscal_year: int,
    last_fiscal_year: int | None = None,
    values: str = "",
    status: str = PlanStatus.DRAFT,
) -> StrategicPlan:
    """A plan (five fiscal years by default) with the agency's preset perspectives."""
    plan = StrategicPlan(
        organization=organization,
        title=title,
        mission=mission,
        vision=vision,
        values=values,
        first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year or first_fiscal_year + 4,
        status=status,
    )
    plan.full_clean()
    plan.save()
    for order, (name, description) in enumerate(
        PRESET_PERSPECTIVES[PerspectivePreset(organization.perspective_preset)], start=1
    ):
        Perspective.objects.create(
            organization=organization, plan=plan, name=name, description=description, order=order
        )
    return plan


def create_plan_from_form(form: PlanForm) -> StrategicPlan:
    """``create_plan`` with the cleaned data of a valid new-plan form."""
    data = form.cleaned_data
    return create_plan(
        form.instance.organization,
        title=data["title"],
        mission=data["mission"],
        vision=data["vision"],
        values=data["values"],
        first_fiscal_year=data["first_fiscal_year"],
        last_fiscal_year=data["last_fiscal_year"],
        status=data["status"],
    )


@transaction.atomic
def save_plan(form: PlanForm) -> StrategicPlan:
    """Save a valid edit of a plan (its texts, horizon and status); moved years re-judge
    its measures' stored states in the same transaction (``scorecards.receivers``)."""
    return form.save()


# --- Perspectives and themes ----------------------------------------------------------------


def save_part(form: PerspectiveForm | ThemeForm) -> Perspective | Theme:
    """Save a valid form of a plan's perspective or theme (new or edited)."""
    return form.save()


def delete_part(part: Perspective | Theme, noun: str) -> None:
    """Delete a perspective or theme (``noun`` names it in the refusal) that no objective
    uses any more."""
    try:
        part.delete()
    except ProtectedError as exc:
        message = (
            gettext("The theme “%(name)s” still has objectives; move or archive them first.")
            if noun == "theme"
            else gettext(
                "The perspective “%(name)s” still has objectives; move or archive them first."
            )
        )
        raise PartInUse(message % {"name": part.name}) from exc


# --- Objectives -----------------------------------------------------------------------------


def save_objective(form: ObjectiveForm) -> StrategicObjective:
    """Save a valid form of a strategic objective (new or edited)."""
    return form.save()


def archive_objective(objective: StrategicObjective, *, restore: bool = False) -> None:
    """Hide the objective from the scorecard, keeping everything (or, ``restore``, show it)."""
    objective.archived_at = None if restore else timezone.now()
    objective.save(update_fields=["archived_at"])


def delete_objective(objective: StrategicObjective) -> None:
    """Delete an objective that has neither measures nor links on the strategy map."""
    has_measures = objective.measures.exists()
    linked = (
        CausalLink.objects.filter(source=objective).exists()
        or CausalLink.objects.filter(target=objective).exists()
    )
    if has_measures or linked:
        if has_measures and linked:
            message = gettext(
                "“%(title)s” cannot be deleted because it has measures and it is linked on "
                "the strategy map; archive it instead (its history stays)."
            )
        elif has_measures:
            message = gettext(
                "“%(title)s” cannot be deleted because it has measures; archive it instead "
                "(its history stays)."
            )
        else:
            message = gettext(
                "“%(title)s” cannot be deleted because it is linked on the strategy map; "
                "archive it instead (its history stays)."
            )
        raise ObjectiveInUse(message % {"title": objective.title})
    objective.delete()


# --- Strategy map and focus map -------------------------------------------------------------


def add_link(form: CausalLinkForm) -> CausalLink:
    """Save a valid causal link (the form refuses duplicates and loops)."""
    return form.save()


def delete_link(link: CausalLink) -> None:
    """Remove a causal link from the strategy map."""
    link.delete()


@dataclass(frozen=True)
class FocusChoice:
    """The levels chosen for one objective's four quarters ("" is blank)."""

    objective: StrategicObjective
    levels: Sequence[str]


@transaction.atomic
def save_focus_map(plan: StrategicPlan, fiscal_year: int, choices: Sequence[FocusChoice]) -> None:
    """Store the focus levels of ``fiscal_year``'s quarters for the plan's objectives: a
    blank removes the quarter's entry. All or nothing: any unknown level refuses the map."""
    allowed = {value for value, _ in FocusLevel.choices}
    if any(level and level not in allowed for choice in choices for level in choice.levels):
        raise FocusRefused(gettext("Choose High, Medium, Low or blank for every quarter."))
    entries = {
        (e.objective_id, e.quarter): e
        for e in FocusEntry.objects.filter(objective__plan=plan, fiscal_year=fiscal_year)
    }
    for choice in choices:
        for quarter, level in zip(QUARTERS, choice.levels, strict=True):
            entry = entries.get((choice.objective.pk, quarter))
            if not level:
                if entry:
                    entry.delete()
            elif entry is None:
                FocusEntry.objects.create(
                    organization_id=plan.organization_id,
                    objective=choice.objective,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    level=level,
                )
            elif entry.level != level:
                entry.level = level
                entry.save(update_fields=["level"])
