"""The form that creates a report: a template, a period of the active plan (a quarter or a
fiscal year, labelled as the agency labels them) and, for the one-perspective template, the
perspective."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reports.models import Template
from scorecards.models import Perspective, StrategicPlan
from strategyhub import fiscal
from strategyhub.models import Organization


def period_choices(plan: StrategicPlan, organization: Organization) -> list[tuple[str, str]]:
    """ "2026-Q2" / "2026-FY" for every quarter and fiscal year of the plan."""
    month, style = organization.fiscal_year_start_month, organization.fiscal_year_label_style
    choices = []
    for year in plan.fiscal_years:
        fy = fiscal.fiscal_year(year, month, style)
        choices += [(f"{year}-Q{q.number}", q.label) for q in fy.quarters]
        choices.append((f"{year}-FY", f"{fy.label} (the whole year)"))
    return choices


def parse_period(text: str) -> tuple[int, int | None]:
    """ "2026-Q2" → (2026, 2); "2026-FY" → (2026, None); ValueError otherwise."""
    year, _, part = text.partition("-")
    if part == "FY":
        return int(year), None
    if len(part) == 2 and part[0] == "Q" and part[1] in "1234":
        return int(year), int(part[1])
    raise ValueError(text)


class ReportForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=Template.choices)
    period = forms.ChoiceField(
        label=_("Period"), help_text=_("The report reads the data as of the end of this period.")
    )
    perspective = forms.ModelChoiceField(
        label=_("Perspective"),
        queryset=Perspective.objects.none(),
        required=False,
        help_text=_("For the one-perspective template only."),
    )

    def __init__(self, *args: Any, plan: StrategicPlan, organization: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(plan, organization)
        self.fields["perspective"].queryset = Perspective.objects.filter(plan=plan)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("template") == Template.PERSPECTIVE and not data.get("perspective"):
            self.add_error("perspective", gettext("Choose the perspective to report on."))
        period = data.get("period")
        if period:
            year, quarter = parse_period(period)
            data["fiscal_year"], data["quarter"] = year, quarter
        return data
