from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Strategic layer (Balanced Scorecard)"

    def ready(self) -> None:
        from scorecards import receivers  # noqa: F401 (connects the signal receivers)
