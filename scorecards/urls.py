from django.urls import path

from scorecards.views import maps, measures, objectives, perspectives, plan

app_name = "scorecards"

urlpatterns = [
    path("", plan.plan_view, name="plan"),
    path("new/", plan.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", plan.plan_view, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", plan.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/map/", maps.strategy_map, name="strategy_map"),
    path("plans/<int:plan_id>/focus/", maps.focus_map, name="focus_map"),
    path(
        "plans/<int:plan_id>/perspectives/new/",
        perspectives.perspective_edit,
        name="perspective_new",
    ),
    path(
        "plans/<int:plan_id>/perspectives/<int:perspective_id>/edit/",
        perspectives.perspective_edit,
        name="perspective_edit",
    ),
    path(
        "plans/<int:plan_id>/perspectives/<int:perspective_id>/delete/",
        perspectives.perspective_delete,
        name="perspective_delete",
    ),
    path("plans/<int:plan_id>/themes/new/", perspectives.theme_edit, name="theme_new"),
    path(
        "plans/<int:plan_id>/themes/<int:theme_id>/edit/",
        perspectives.theme_edit,
        name="theme_edit",
    ),
    path(
        "plans/<int:plan_id>/themes/<int:theme_id>/delete/",
        perspectives.theme_delete,
        name="theme_delete",
    ),
    path("plans/<int:plan_id>/objectives/new/", objectives.objective_edit, name="objective_new"),
    path(
        "plans/<int:plan_id>/objectives/<int:objective_id>/edit/",
        objectives.objective_edit,
        name="objective_edit",
    ),
    path("plans/<int:plan_id>/measures/new/", measures.measure_edit, name="measure_new"),
    path(
        "plans/<int:plan_id>/measures/<int:measure_id>/edit/",
        measures.measure_edit,
        name="measure_edit",
    ),
    path("perspectives/<int:perspective_id>/", perspectives.perspective_view, name="perspective"),
    path("objectives/<int:objective_id>/", objectives.objective_view, name="objective"),
    path(
        "objectives/<int:objective_id>/archive/",
        objectives.objective_archive,
        name="objective_archive",
    ),
    path(
        "objectives/<int:objective_id>/delete/",
        objectives.objective_delete,
        name="objective_delete",
    ),
    path("measures/<int:measure_id>/", measures.measure_view, name="measure"),
    path("measures/<int:measure_id>/values/", measures.measure_value, name="measure_value"),
    path("measures/<int:measure_id>/targets/", measures.measure_targets, name="measure_targets"),
    path("measures/<int:measure_id>/archive/", measures.measure_archive, name="measure_archive"),
    path("measures/<int:measure_id>/delete/", measures.measure_delete, name="measure_delete"),
    path("links/<int:link_id>/delete/", maps.link_delete, name="link_delete"),
]
