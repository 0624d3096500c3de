from django.urls import include, path

from publicdash.views import public

app_name = "public"


def _both(route, view, name):
    return [
        path(route, view, name=name),
        path(f"v/<int:version>/{route}", view, name=f"{name}_version"),
    ]


urlpatterns = [
    *_both("", public.home, "home"),
    *_both("objectives/<str:public_id>/", public.objective, "objective"),
    *_both("measures/<str:public_id>/", public.measure, "measure"),
    *_both("measures/<str:public_id>.csv", public.measure_csv, "measure_csv"),
    *_both("okrs/", public.okrs, "okrs"),
    *_both("data.json", public.data_json, "data_json"),
    *_both("data.csv", public.data_csv, "data_csv"),
    path("archive/", public.archive, name="archive"),
    path("logo", public.logo, name="logo"),
    # The public versions of published report editions (the reports app's own pages).
    path("reports/", include("reports.public_urls")),
]
