from django.urls import path

from ownership import views

app_name = "ownership"

urlpatterns = [
    path("", views.page, name="page"),
    path("reassign/<str:item_type>/<int:item_id>/", views.reassign, name="reassign"),
    path("transfer/", views.transfer, name="transfer"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_all_read"),
    path("notifications/<int:alert_id>/read/", views.mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("settings/", views.settings_view, name="settings"),
    path("updates/", views.workflow, name="workflow"),
]
