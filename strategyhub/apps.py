from django.apps import AppConfig


class StrategyHubConfig(AppConfig):
    name = "strategyhub"
    verbose_name = "StrategyHub tenancy"
