from django.urls import path

from publicdash import staff_views

app_name = "publishing"

urlpatterns = [
    path("", staff_views.page, name="page"),
    path("preview/", staff_views.preview, name="preview"),
    path("publish/", staff_views.do_publish, name="publish"),
    path("unpublish/", staff_views.do_unpublish, name="unpublish"),
]
