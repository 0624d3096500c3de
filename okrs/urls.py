from django.urls import path

from okrs.views import checkins, cloning, cycle, key_results, objectives, review

app_name = "okrs"

urlpatterns = [
    path("", cycle.cycle_overview, name="cycle"),
    path("cycles/<int:cycle_id>/", cycle.cycle_overview, name="cycle_detail"),
    path("check-ins/", checkins.my_checkins, name="my_checkins"),
    path("key-results/<int:key_result_id>/check-in/", checkins.checkin, name="checkin"),
    path("key-results/<int:key_result_id>/", key_results.key_result_view, name="key_result"),
    path(
        "key-results/<int:key_result_id>/check-ins/<int:checkin_id>/",
        checkins.checkin_edit,
        name="checkin_edit",
    ),
    path("objectives/<int:objective_id>/", objectives.objective_view, name="objective"),
    path("objectives/new/", objectives.objective_edit, name="objective_new"),
    path("objectives/<int:objective_id>/edit/", objectives.objective_edit, name="objective_edit"),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        key_results.key_result_edit,
        name="key_result_new",
    ),
    path(
        "objectives/<int:objective_id>/key-results/<int:key_result_id>/edit/",
        key_results.key_result_edit,
        name="key_result_edit",
    ),
    path("<str:kind>/<int:item_id>/archive/", objectives.archive, name="archive"),
    path("<str:kind>/<int:item_id>/delete/", objectives.delete, name="delete"),
    path("objectives/<int:objective_id>/clone/", cloning.clone, name="objective_clone"),
    path("objectives/<int:objective_id>/review/", review.review, name="review"),
    path("cycles/<int:cycle_id>/coverage/", cycle.coverage, name="coverage"),
    path("cycles/<int:cycle_id>/start-year/", cycle.start_year, name="cycle_start_year"),
    path("cycles/<int:cycle_id>/clone-unit/", cloning.clone_unit, name="cycle_clone_unit"),
    *[
        path(
            f"cycles/<int:cycle_id>/{action}/",
            review.cycle_action,
            {"action": action},
            name=f"cycle_{action}",
        )
        for action in ("review", "close", "reopen")
    ],
]
