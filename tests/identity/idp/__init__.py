"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit with OIDC on, in
its own Django process (its own settings and SQLite database), started by
``tests/identity/sso_support.py`` on a free port. Test-only control endpoints
(``control.py``) register clients and people, and revoke a person's grants, as an
identity provider's admin console would."""
