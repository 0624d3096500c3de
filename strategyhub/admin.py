"""Django admin for platform staff. The tenant middleware disables scopes under /admin/."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import escape
from guardian.admin import GuardedModelAdmin

from strategyhub.models import Invitation, Membership, Organization, Unit, User
from strategyhub.organizations import fiscal_calendar_in_use, save_settings


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organization"
    extra = 0
    fields = ["user", "role", "unit", "is_active", "deactivated_at"]
    readonly_fields = ["deactivated_at"]
    raw_id_fields = ["user", "unit"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "timezone",
        "fiscal_year_start_month",
        "perspective_preset",
        "is_active",
        "created_at",
    ]
    list_filter = ["is_active", "perspective_preset", "fiscal_year_start_month"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The admin shows help texts as HTML: the slug's "/o/<slug>/" lost its placeholder
        # (read as a tag). Escaped here, it shows as written.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "slug":
            field.help_text = escape(field.help_text)
        return field

    def get_readonly_fields(self, request, obj=None):
        # The preset seeds the plan's perspectives at creation; it is not changed later. The
        # fiscal year's first month is fixed once data is laid out on it (as in the agency's
        # own settings).
        if obj is None:
            return []
        fixed = ["perspective_preset"]
        if fiscal_calendar_in_use(obj):
            fixed.append("fiscal_year_start_month")
        return fixed

    def save_model(self, request, obj, form, change):
        if change:
            save_settings(
                obj, form.initial.get("fiscal_year_start_month", obj.fiscal_year_start_month)
            )
        else:
            super().save_model(request, obj, form, change)


@admin.register(Unit)
class UnitAdmin(GuardedModelAdmin):
    list_display = ["name", "kind", "parent", "organization", "order"]
    list_filter = ["organization", "kind"]
    search_fields = ["name"]
    list_select_related = ["organization", "parent"]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "unit", "is_active", "created_at"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    list_select_related = ["user", "organization", "unit"]
    raw_id_fields = ["user", "unit", "deactivated_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "state", "created_at", "expires_at"]
    list_filter = ["organization", "role"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["unit", "invited_by", "accepted_by"]
    readonly_fields = ["accepted_at", "accepted_by", "revoked_at"]

    @admin.display(description="state")
    def state(self, obj):
        return obj.get_state_display()
