from django.urls import path

from publicdash import views

app_name = "public"


def _both(route, view, name):
    return [
        path(route, view, name=name),
        path(f"v/<int:version>/{route}", view, name=f"{name}_version"),
    ]


urlpatterns = [
    *_both("", views.home, "home"),
    *_both("objectives/<str:public_id>/", views.objective, "objective"),
    *_both("measures/<str:public_id>/", views.measure, "measure"),
    *_both("measures/<str:public_id>.csv", views.measure_csv, "measure_csv"),
    *_both("okrs/", views.okrs, "okrs"),
    *_both("data.json", views.data_json, "data_json"),
    *_both("data.csv", views.data_csv, "data_csv"),
    path("archive/", views.archive, name="archive"),
    path("logo", views.logo, name="logo"),
]
