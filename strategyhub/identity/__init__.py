"""Identity and sign-in: django-allauth's accounts (email + password, password reset and
change) with our adapter and forms, failed sign-ins throttled by django-axes, and the
agency's sign-in rules applied on entry to ``/o/<slug>/`` (docs/security.md)."""
