"""The account URLs under /accounts/: allauth's (sign-in, sign-out, password reset and
change) without its email-address management, which we do not offer (a person's address
is the one their invitation or their agency's provider proved), and the profile."""

from __future__ import annotations

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver, path

from strategyhub.views import account

# Email management and verification: every account's address is proven when it is made
# (ACCOUNT_EMAIL_VERIFICATION = "none"), so these views have nothing to do here.
WITHHELD = {
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
}


def _without_withheld(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    kept: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            pattern.url_patterns[:] = _without_withheld(pattern.url_patterns)
            kept.append(pattern)
        elif pattern.name not in WITHHELD:
            kept.append(pattern)
    return kept


urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", account.profile, name="profile"),
    *_without_withheld(list(allauth_urls.urlpatterns)),
]
