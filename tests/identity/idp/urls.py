from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.identity.idp import control

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("control/client/", control.client),
    path("control/person/", control.person),
    path("control/revoke/", control.revoke),
]
