from django.apps import AppConfig


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = "Ownership and alerts"

    def ready(self) -> None:
        from ownership import receivers  # noqa: F401 (connects the signal receivers)
