"""Publications in the read-only admin (``strategyhub.admin_readonly``)."""

from django.contrib import admin

from publicdash.models import Publication, PublicationEvent
from strategyhub.admin_readonly import ReadOnlyAdmin


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["organization", "version", "published_at", "published_by", "scheduled"]
    list_filter = ["scheduled", "organization"]
    search_fields = ["organization__name", "organization__slug"]
    list_select_related = ["organization", "published_by"]
    exclude = ["document"]  # the snapshot is large; the public pages show it
    date_hierarchy = "published_at"


@admin.register(PublicationEvent)
class PublicationEventAdmin(ReadOnlyAdmin):
    list_display = ["organization", "action", "detail", "by", "at"]
    list_filter = ["action", "organization"]
    search_fields = ["organization__slug", "detail"]
    list_select_related = ["organization", "by"]
