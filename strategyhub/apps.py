from django.apps import AppConfig


class StrategyHubConfig(AppConfig):
    name = "strategyhub"
    verbose_name = "StrategyHub tenancy"

    def ready(self) -> None:
        from strategyhub.caching import receivers

        receivers.connect()
