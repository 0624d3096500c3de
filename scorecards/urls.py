from django.urls import path

from scorecards import views, views_edit

app_name = "scorecards"

urlpatterns = [
    path("", views.plan_view, name="plan"),
    path("new/", views_edit.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_view, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views_edit.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/map/", views_edit.strategy_map, name="strategy_map"),
    path("plans/<int:plan_id>/focus/", views_edit.focus_map, name="focus_map"),
    path(
        "plans/<int:plan_id>/perspectives/new/", views_edit.perspective_edit, name="perspective_new"
    ),
    path(
        "plans/<int:plan_id>/perspectives/<int:perspective_id>/edit/",
        views_edit.perspective_edit,
        name="perspective_edit",
    ),
    path(
        "plans/<int:plan_id>/perspectives/<int:perspective_id>/delete/",
        views_edit.perspective_delete,
        name="perspective_delete",
    ),
    path("plans/<int:plan_id>/themes/new/", views_edit.theme_edit, name="theme_new"),
    path(
        "plans/<int:plan_id>/themes/<int:theme_id>/edit/", views_edit.theme_edit, name="theme_edit"
    ),
    path(
        "plans/<int:plan_id>/themes/<int:theme_id>/delete/",
        views_edit.theme_delete,
        name="theme_delete",
    ),
    path("plans/<int:plan_id>/objectives/new/", views_edit.objective_edit, name="objective_new"),
    path(
        "plans/<int:plan_id>/objectives/<int:objective_id>/edit/",
        views_edit.objective_edit,
        name="objective_edit",
    ),
    path("plans/<int:plan_id>/measures/new/", views_edit.measure_edit, name="measure_new"),
    path(
        "plans/<int:plan_id>/measures/<int:measure_id>/edit/",
        views_edit.measure_edit,
        name="measure_edit",
    ),
    path("perspectives/<int:perspective_id>/", views.perspective_view, name="perspective"),
    path("objectives/<int:objective_id>/", views.objective_view, name="objective"),
    path(
        "objectives/<int:objective_id>/archive/",
        views_edit.objective_archive,
        name="objective_archive",
    ),
    path(
        "objectives/<int:objective_id>/delete/",
        views_edit.objective_delete,
        name="objective_delete",
    ),
    path("measures/<int:measure_id>/", views.measure_view, name="measure"),
    path("measures/<int:measure_id>/values/", views.measure_value, name="measure_value"),
    path("measures/<int:measure_id>/targets/", views_edit.measure_targets, name="measure_targets"),
    path("measures/<int:measure_id>/archive/", views_edit.measure_archive, name="measure_archive"),
    path("measures/<int:measure_id>/delete/", views_edit.measure_delete, name="measure_delete"),
    path("links/<int:link_id>/delete/", views_edit.link_delete, name="link_delete"),
]
