from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "strategyhub.identity"
    label = "identity"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        from strategyhub.identity import events, sessions  # noqa: F401 - connect receivers
