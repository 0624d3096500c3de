"""The agency OpenID Connect provider's URLs, mounted by allauth under /accounts/."""

from django.urls import path

from strategyhub.identity.sso import oidc

urlpatterns = [
    path("oidc/<str:provider_id>/login/", oidc.login, name="agency_oidc_login"),
    path("oidc/<str:provider_id>/login/callback/", oidc.callback, name="agency_oidc_callback"),
]
