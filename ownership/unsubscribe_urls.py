"""The one-click unsubscribe link of ownership emails: outside any agency's URL space (the
signed token names the agency), included by the project's URLconf at ``unsubscribe/``."""

from django.urls import path

from ownership.views import unsubscribe

urlpatterns = [
    path("<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
