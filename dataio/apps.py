from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "dataio"
    verbose_name = "Data in and out (workbook export and import)"
