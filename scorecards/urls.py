from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.plan_view, name="plan"),
    path("perspectives/<int:perspective_id>/", views.perspective_view, name="perspective"),
    path("objectives/<int:objective_id>/", views.objective_view, name="objective"),
    path("measures/<int:measure_id>/", views.measure_view, name="measure"),
    path("measures/<int:measure_id>/values/", views.measure_value, name="measure_value"),
]
