from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrs"
    verbose_name = "Execution layer (OKRs)"

    def ready(self) -> None:
        from okrs import receivers  # noqa: F401 (connects the signal receivers)
