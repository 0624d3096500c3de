"""The read-only Django admin of the domain models, for platform staff looking things up
(support): search and filters, no add, change or delete — the product's own pages and
services are the only way to write, so their rules (tenant scope, history, derived states,
alerts) always hold. The tenant middleware disables django-scopes under /admin/."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists, searches, filters and shows; never writes."""

    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) of a large table on every list page

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)
