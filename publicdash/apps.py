from django.apps import AppConfig


class PublicDashConfig(AppConfig):
    name = "publicdash"
    verbose_name = "Public dashboards"

    def ready(self) -> None:
        from publicdash import receivers

        receivers.connect()
