from django.urls import path

from okrs import views, views_edit

app_name = "okrs"

urlpatterns = [
    path("", views.cycle_overview, name="cycle"),
    path("cycles/<int:cycle_id>/", views.cycle_overview, name="cycle_detail"),
    path("check-ins/", views.my_checkins, name="my_checkins"),
    path("key-results/<int:key_result_id>/check-in/", views.checkin, name="checkin"),
    path("key-results/<int:key_result_id>/", views.key_result_view, name="key_result"),
    path(
        "key-results/<int:key_result_id>/check-ins/<int:checkin_id>/",
        views.checkin_edit,
        name="checkin_edit",
    ),
    path("objectives/<int:objective_id>/", views.objective_view, name="objective"),
    path("objectives/new/", views_edit.objective_edit, name="objective_new"),
    path("objectives/<int:objective_id>/edit/", views_edit.objective_edit, name="objective_edit"),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        views_edit.key_result_edit,
        name="key_result_new",
    ),
    path(
        "objectives/<int:objective_id>/key-results/<int:key_result_id>/edit/",
        views_edit.key_result_edit,
        name="key_result_edit",
    ),
    path("<str:kind>/<int:item_id>/archive/", views_edit.archive, name="archive"),
    path("objectives/<int:objective_id>/review/", views_edit.review, name="review"),
    path("cycles/<int:cycle_id>/coverage/", views_edit.coverage, name="coverage"),
    *[
        path(
            f"cycles/<int:cycle_id>/{action}/",
            views_edit.cycle_action,
            {"action": action},
            name=f"cycle_{action}",
        )
        for action in ("review", "close", "reopen")
    ],
]
