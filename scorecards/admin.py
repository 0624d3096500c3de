"""The strategic layer in the read-only admin (``strategyhub.admin_readonly``)."""

from django.contrib import admin

from scorecards.models import Measure, MeasureValue, StrategicObjective, StrategicPlan
from strategyhub.admin_readonly import ReadOnlyAdmin


@admin.register(StrategicPlan)
class StrategicPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "status", "first_fiscal_year", "last_fiscal_year"]
    list_filter = ["status", "organization"]
    search_fields = ["title", "organization__name", "organization__slug"]
    list_select_related = ["organization"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "perspective", "owner", "organization", "archived_at"]
    list_filter = ["organization"]
    search_fields = ["title", "owner__email", "organization__slug"]
    list_select_related = ["plan", "perspective", "owner", "organization"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["name", "objective", "owner", "update_frequency", "organization"]
    list_filter = ["update_frequency", "organization"]
    search_fields = ["name", "owner__email", "organization__slug"]
    list_select_related = ["objective", "owner", "organization"]


@admin.register(MeasureValue)
class MeasureValueAdmin(ReadOnlyAdmin):
    list_display = ["measure", "period", "value", "source", "entered_by", "entered_at"]
    list_filter = ["source", "organization"]
    search_fields = ["measure__name", "entered_by__email", "organization__slug"]
    list_select_related = ["measure", "entered_by"]
    date_hierarchy = "period"
