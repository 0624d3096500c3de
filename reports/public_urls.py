"""Public report URLs, included under the public dashboard's namespace (``/p/<slug>/reports/``)."""

from django.urls import path

from reports.views import public

app_name = "reports"

urlpatterns = [
    path("", public.public_list, name="list"),
    path("<str:public_id>/", public.public_edition, name="edition"),
    path("<str:public_id>.pdf", public.public_pdf, name="pdf"),
]
