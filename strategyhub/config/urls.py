"""The project's URLconf: the core's account, agency and health pages, and each app's URLs
included by module path (the core imports none of the apps)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from strategyhub.forms import (
    EmailAuthenticationForm,
    UswdsPasswordChangeForm,
    UswdsPasswordResetForm,
    UswdsSetPasswordForm,
)
from strategyhub.views import account, health, organization

organization_patterns = [
    path("", organization.dashboard, name="dashboard"),
    path("members/", organization.members, name="members"),
    path("members/invite/", organization.invite, name="invite"),
    path("members/<int:membership_id>/role/", organization.member_role, name="member_role"),
    path("members/<int:membership_id>/active/", organization.member_active, name="member_active"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        organization.invitation_revoke,
        name="invitation_revoke",
    ),
    path("units/", organization.units, name="units"),
    path("units/new/", organization.unit_edit, name="unit_new"),
    path("units/<int:unit_id>/", organization.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/delete/", organization.unit_delete, name="unit_delete"),
    path("units/<int:unit_id>/grants/", organization.unit_grant, name="unit_grant"),
    path("settings/", organization.organization_settings, name="settings"),
]

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=UswdsPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=UswdsSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(form_class=UswdsPasswordChangeForm),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profile/", account.profile, name="profile"),
]

urlpatterns = [
    path("", account.home, name="home"),
    path("agencies/", account.organizations, name="agencies"),
    path("accounts/", include(account_patterns)),
    path("invitations/<str:token>/", account.accept_invitation_view, name="accept_invitation"),
    path("o/<slug:org_slug>/", include((organization_patterns, "agency"))),
    path("o/<slug:org_slug>/plan/", include("scorecards.urls")),
    path("o/<slug:org_slug>/okrs/", include("okrs.urls")),
    path("o/<slug:org_slug>/ownership/", include("ownership.urls")),
    path("o/<slug:org_slug>/publish/", include("publicdash.staff_urls")),
    path("p/<slug:org_slug>/", include("publicdash.urls")),
    path("unsubscribe/", include("ownership.unsubscribe_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "StrategyHub platform administration"
admin.site.site_title = "StrategyHub admin"

if settings.STRATEGYHUB_BENCH:
    from strategyhub.views.bench import hello, signed_in_post

    urlpatterns += [
        path("bench/hello", hello, name="bench_hello"),
        path("o/<slug:org_slug>/bench/post", signed_in_post, name="bench_signed_in_post"),
    ]
