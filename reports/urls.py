from django.urls import path

from reports.views import commentary, pages, schedules

app_name = "reports"

urlpatterns = [
    path("", pages.report_list, name="list"),
    path("new/", pages.report_new, name="new"),
    path("schedules/", schedules.schedules, name="schedules"),
    path("schedules/<int:schedule_id>/stop/", schedules.schedule_stop, name="schedule_stop"),
    path("<int:report_id>/", pages.report_view, name="report"),
    path("<int:report_id>/correction/", pages.report_correction, name="correction"),
    path("<int:report_id>/editions/<int:number>/", pages.edition_view, name="edition"),
    path(
        "<int:report_id>/editions/<int:number>/commentary/ask/",
        commentary.ask,
        name="commentary_ask",
    ),
    path(
        "<int:report_id>/editions/<int:number>/commentary/",
        commentary.write,
        name="commentary_write",
    ),
    path(
        "<int:report_id>/editions/<int:number>/<str:action>/",
        pages.edition_action,
        name="edition_action",
    ),
    path(
        "<int:report_id>/editions/<int:number>/download.<str:fmt>",
        pages.edition_download,
        name="download",
    ),
]
