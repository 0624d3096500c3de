from django.urls import path

from publicdash.views import staff

app_name = "publishing"

urlpatterns = [
    path("", staff.page, name="page"),
    path("preview/", staff.preview, name="preview"),
    path("publish/", staff.do_publish, name="publish"),
    path("unpublish/", staff.do_unpublish, name="unpublish"),
]
