"""The allauth account adapter: nobody signs up on their own (people join an agency by
invitation), and the messages say plainly what happened."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-ins for this email address from your network. Wait a few minutes "
    "and try again, or reset your password."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password do not match an active account."
        ),
        "too_many_login_attempts": LOCKED_OUT_MESSAGE,
        "rate_limited": "Too many requests from your network. Wait a minute and try again.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are made by accepting an invitation (strategyhub.members), never here."""
        return False

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        return reverse("profile")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """A service account (``api.service_accounts``) never signs in: whatever is typed,
        the form answers as for a wrong password (it has no usable one anyway)."""
        user = super().authenticate(request, **credentials)
        return None if getattr(user, "is_service_account", False) else user

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        if getattr(user, "is_service_account", False):  # any other way in (a code, a reset)
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
