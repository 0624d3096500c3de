"""The agency admin's single sign-on URLs, under ``/o/<slug>/`` (namespace ``agency``)."""

from django.urls import path

from strategyhub.identity.sso import views

agency_patterns = [
    path("settings/sign-in/provider/", views.sso_provider, name="sso_provider"),
    path("settings/sign-in/provider/saml/", views.sso_saml, name="sso_saml"),
    path("settings/sign-in/provider/key/", views.sso_key, name="sso_key"),
    path("settings/sign-in/provider/mapping/", views.sso_mapping, name="sso_mapping"),
    path("settings/sign-in/provider/remove/", views.sso_remove, name="sso_remove"),
    path("settings/sign-in/domains/", views.sso_domains, name="sso_domains"),
    path(
        "settings/sign-in/domains/<int:domain_id>/verify/",
        views.sso_domain_verify,
        name="sso_domain_verify",
    ),
    path(
        "settings/sign-in/domains/<int:domain_id>/remove/",
        views.sso_domain_remove,
        name="sso_domain_remove",
    ),
]
