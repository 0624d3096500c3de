"""Alerts in the read-only admin (``strategyhub.admin_readonly``)."""

from django.contrib import admin

from ownership.models import Alert
from strategyhub.admin_readonly import ReadOnlyAdmin


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["kind", "item_label", "recipient", "organization", "created_at", "emailed_at"]
    list_filter = ["kind", "item_type", "organization"]
    search_fields = ["item_label", "message", "recipient__email", "organization__slug"]
    list_select_related = ["recipient", "organization"]
    date_hierarchy = "created_at"
