from django.urls import path

from dataio import views
from dataio.importing import views as import_views

app_name = "dataio"

urlpatterns = [
    path("", views.page, name="page"),
    path("export.<str:fmt>", views.download_export, name="export"),
    path("template.xlsx", views.download_template, name="template"),
    # ---- IMPORT (H20b): the upload, run, preview and confirm routes go below ----
    path("import/", import_views.upload, name="import_upload"),
    path("import/<int:run_id>/", import_views.run_page, name="import_run"),
    path("import/<int:run_id>/confirm/", import_views.confirm, name="import_confirm"),
]
