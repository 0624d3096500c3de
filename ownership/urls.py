from django.urls import path

from ownership.views import notifications, owners, preferences, report, settings, workflow

app_name = "ownership"

urlpatterns = [
    path("", report.page, name="page"),
    path("reassign/<str:item_type>/<int:item_id>/", owners.reassign, name="reassign"),
    path("transfer/", owners.transfer, name="transfer"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="mark_all_read"),
    path("notifications/<int:alert_id>/read/", notifications.mark_read, name="mark_read"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("settings/", settings.settings_view, name="settings"),
    path("updates/", workflow.workflow, name="workflow"),
]
