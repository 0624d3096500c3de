"""Platform staff see the agencies' sign-in rules and the security history (read-only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from strategyhub.identity.models import SecurityEvent, SignInPolicy


@admin.register(SignInPolicy)
class SignInPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "mfa_required",
        "session_lifetime_minutes",
        "idle_timeout_minutes",
        "updated_at",
    ]
    list_select_related = ["organization"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "detail", "ip_address", "by", "agency_name"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    list_select_related = ["user", "by", "agency_name"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
