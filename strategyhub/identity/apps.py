from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "strategyhub.identity"
    label = "identity"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        from strategyhub.identity import ended, events, sessions  # noqa: F401 - connect receivers
        from strategyhub.identity.sso import receivers  # noqa: F401
