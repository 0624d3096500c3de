"""The project's URLconf: the core's account, agency and health pages, and each app's URLs
included by module path (the core imports none of the apps)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from strategyhub.identity import views as identity_views
from strategyhub.identity.sso import agency_urls as sso_urls
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
    path(
        "invitations/<int:invitation_id>/resend/",
        organization.invitation_resend,
        name="invitation_resend",
    ),
    path("units/", organization.units, name="units"),
    path("units/new/", organization.unit_edit, name="unit_new"),
    path("units/<int:unit_id>/", organization.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/delete/", organization.unit_delete, name="unit_delete"),
    path("units/<int:unit_id>/grants/", organization.unit_grant, name="unit_grant"),
    path("settings/", organization.organization_settings, name="settings"),
    path("settings/sign-in/", identity_views.sign_in_policy, name="sign_in_policy"),
    path("members/security/", identity_views.member_security, name="member_security"),
    path(
        "members/<int:membership_id>/mfa-reset/",
        identity_views.member_mfa_reset,
        name="member_mfa_reset",
    ),
    # Single sign-on (strategyhub/identity/sso/views.py).
    *sso_urls.agency_patterns,
]

urlpatterns = [
    path("", account.home, name="home"),
    path("agencies/", account.organizations, name="agencies"),
    path("accounts/", include("strategyhub.identity.urls")),
    path("invitations/<str:token>/", account.accept_invitation_view, name="accept_invitation"),
    path("o/<slug:org_slug>/", include((organization_patterns, "agency"))),
    path("o/<slug:org_slug>/plan/", include("scorecards.urls")),
    path("o/<slug:org_slug>/okrs/", include("okrs.urls")),
    path("o/<slug:org_slug>/ownership/", include("ownership.urls")),
    path("o/<slug:org_slug>/publish/", include("publicdash.staff_urls")),
    path("o/<slug:org_slug>/reports/", include("reports.urls")),
    path("o/<slug:org_slug>/api-tokens/", include("api.urls")),
    path("o/<slug:org_slug>/data/", include("dataio.urls")),
    path("api/v1/", include(("api.v1.urls", "ninja"), namespace="api-v1")),
    path("p/<slug:org_slug>/", include("publicdash.urls")),
    path("unsubscribe/", include("ownership.unsubscribe_urls")),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
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
