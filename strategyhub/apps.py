from django.apps import AppConfig


class StrategyHubConfig(AppConfig):
    name = "strategyhub"
    verbose_name = "StrategyHub tenancy"

    def ready(self) -> None:
        from strategyhub.caching import receivers
        from strategyhub.history import build_history_managers_once

        receivers.connect()
        build_history_managers_once()
