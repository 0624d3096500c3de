"""What a round trip must reproduce, keyed by the agency's own keys (never ids): every
model's rows and fields the pages show, and the derived state (measure states, key-result
readings and scores, objective scores)."""

from __future__ import annotations

from typing import Any

from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from publicdash.models import Publication
from scorecards.models import (
    CausalLink,
    FocusEntry,
    Measure,
    MeasureState,
    MeasureTarget,
    MeasureValue,
    Perspective,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from strategyhub.models import Membership, Organization, Unit

KEYED = {
    Unit: ("name", "kind", "parent__external_key", "order"),
    StrategicPlan: ("title", "mission", "vision", "values", "first_fiscal_year", "status"),
    Perspective: ("name", "order", "plan__external_key"),
    Theme: ("name", "order"),
    StrategicObjective: (
        "title",
        "perspective__external_key",
        "theme__external_key",
        "owner__email",
        "archived_at",
        "review_flag",
    ),
    CausalLink: ("source__external_key", "target__external_key", "pathway"),
    Measure: (
        "name",
        "unit_kind",
        "polarity",
        "baseline_value",
        "target_value",
        "range_low",
        "range_high",
        "tolerance",
        "value_source",
        "rollup_method",
        "visibility",
        "owner__email",
        "org_unit__external_key",
    ),
    Cycle: ("kind", "fiscal_year", "quarter", "start", "end", "status", "closed_by__email"),
    OkrObjective: (
        "title",
        "level",
        "status",
        "score",
        "final_score",
        "what_worked",
        "lessons",
        "parent__external_key",
        "strategic_objective__external_key",
        "owner__email",
    ),
    KeyResult: (
        "title",
        "kind",
        "start_value",
        "target_value",
        "weight",
        "current_value",
        "current_as_of",
        "score",
        "frozen_score",
        "review_decision",
        "predecessor__external_key",
        "measure__external_key",
    ),
    CheckIn: ("key_result__external_key", "as_of", "value", "done", "confidence", "author__email"),
}


def snapshot(organization: Organization) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for model, fields in KEYED.items():
        rows = model.objects.filter(organization=organization).values_list("external_key", *fields)
        found[model.__name__] = {row[0]: row[1:] for row in rows}
    found["MeasureState"] = {
        row[0]: row[1:]
        for row in MeasureState.objects.filter(organization=organization).values_list(
            "measure__external_key",
            "latest_period",
            "latest_value",
            "comparison",
            "expected_low",
            "expected_high",
            "progress",
            "trend",
            "recent",
            "has_yearly_targets",
        )
    }
    found["MeasureValue"] = set(
        MeasureValue.objects.filter(organization=organization).values_list(
            "measure__external_key", "period", "value", "source", "note", "entered_by__email"
        )
    )
    found["MeasureTarget"] = set(
        MeasureTarget.objects.filter(organization=organization).values_list(
            "measure__external_key", "fiscal_year", "floor", "stretch", "range_high"
        )
    )
    found["FocusEntry"] = set(
        FocusEntry.objects.filter(organization=organization).values_list(
            "objective__external_key", "fiscal_year", "quarter", "level"
        )
    )
    found["Membership"] = set(
        Membership.objects.filter(organization=organization).values_list(
            "user__email", "role", "unit__external_key", "is_active"
        )
    )
    found["Publication"] = set(
        Publication.objects.filter(organization=organization).values_list("version", "scheduled")
    )
    return found
