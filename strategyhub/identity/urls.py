"""The account URLs under /accounts/: allauth's (sign-in, sign-out, password reset and
change) without its email-address management, which we do not offer (a person's address
is the one their invitation or their agency's provider proved), and the profile."""

from __future__ import annotations

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver, path

from strategyhub.identity.sso import public_views as sso
from strategyhub.views import account

# Email management and verification: every account's address is proven when it is made
# (ACCOUNT_EMAIL_VERIFICATION = "none"), so these views have nothing to do here.
WITHHELD = {
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    # A provider's new person is made with no form (SOCIALACCOUNT_AUTO_SIGNUP): a sign-up
    # form would let them pick an address outside the agency's verified domains.
    "socialaccount_signup",
}


def _redirect_target(pattern: URLPattern) -> str | None:
    """The URL name an old address redirects to (allauth keeps a few), if it is one."""
    initkwargs = getattr(pattern.callback, "view_initkwargs", None) or {}
    return initkwargs.get("pattern_name")


def _without_withheld(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    kept: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern.url_patterns[:] = _without_withheld(pattern.url_patterns)
            kept.append(pattern)
        elif pattern.name not in WITHHELD and _redirect_target(pattern) not in WITHHELD:
            kept.append(pattern)
    return kept


urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", account.profile, name="profile"),
    path("sso/", sso.choose, name="sso_choose"),
    path("sso/<slug:agency>/", sso.start, name="sso_start"),
    path("domain-confirm/<str:token>/", sso.confirm_domain, name="sso_domain_confirm"),
    *_without_withheld(list(allauth_urls.urlpatterns)),
]
