from django.urls import path

from api import service_views, views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:token_id>/revoke/", views.token_revoke, name="revoke"),
    path("service-accounts/", service_views.accounts, name="service_accounts"),
    path(
        "service-accounts/<int:membership_id>/tokens/",
        service_views.issue_token,
        name="service_token",
    ),
    path(
        "service-accounts/<int:membership_id>/tokens/<int:token_id>/revoke/",
        service_views.revoke_token,
        name="service_revoke",
    ),
]
