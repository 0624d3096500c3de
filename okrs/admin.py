"""The execution layer in the read-only admin (``strategyhub.admin_readonly``)."""

from django.contrib import admin

from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from strategyhub.admin_readonly import ReadOnlyAdmin


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "kind", "start", "end", "status"]
    list_filter = ["kind", "status", "organization"]
    search_fields = ["organization__name", "organization__slug"]
    list_select_related = ["organization"]


@admin.register(OkrObjective)
class OkrObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "cycle", "level", "owner", "status", "organization"]
    list_filter = ["level", "status", "organization"]
    search_fields = ["title", "owner__email", "organization__slug"]
    list_select_related = ["cycle", "owner", "organization"]


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyAdmin):
    list_display = ["title", "objective", "kind", "owner", "organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["title", "owner__email", "organization__slug"]
    list_select_related = ["objective", "owner", "organization"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["key_result", "as_of", "value", "done", "author", "created_at"]
    list_filter = ["organization"]
    search_fields = ["key_result__title", "author__email", "organization__slug"]
    list_select_related = ["key_result", "author"]
    date_hierarchy = "as_of"
