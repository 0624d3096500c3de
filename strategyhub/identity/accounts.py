"""Names the rest of the project uses for sign-in."""

from __future__ import annotations

# The backend a password sign-in is recorded with in the session (allauth's, which signs in
# by email address); accepting an invitation signs the new account in with it too.
EMAIL_SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
