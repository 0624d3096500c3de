"""The test provider's admin console, as HTTP endpoints for the tests (no auth: the process
listens on 127.0.0.1 for one test session only)."""

import json

from django.contrib.auth.models import Group, User
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import AccessToken, Application, RefreshToken

KEYS: dict[str, str] = {}  # client id -> public key (PEM) for private_key_jwt


def _data(request: HttpRequest) -> dict:
    return json.loads(request.body or b"{}")


@csrf_exempt
def client(request: HttpRequest) -> JsonResponse:
    data = _data(request)
    Application.objects.filter(client_id=data["client_id"]).delete()
    Application.objects.create(
        name=data["client_id"],
        client_id=data["client_id"],
        client_secret=data.get("client_secret") or "unused-" + data["client_id"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=data["redirect_uri"],
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    if data.get("public_key"):
        KEYS[data["client_id"]] = data["public_key"]
    return JsonResponse({"ok": True})


@csrf_exempt
def person(request: HttpRequest) -> JsonResponse:
    data = _data(request)
    user, _ = User.objects.get_or_create(username=data["username"])
    user.email = data["email"]
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.is_active = data.get("active", True)
    user.set_password(data["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])])
    return JsonResponse({"ok": True})


@csrf_exempt
def revoke(request: HttpRequest) -> JsonResponse:
    """The person's access ends: their grants are revoked and their account disabled."""
    data = _data(request)
    user = User.objects.get(username=data["username"])
    for token in RefreshToken.objects.filter(user=user, revoked=None):
        token.revoke()
    AccessToken.objects.filter(user=user).delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    return JsonResponse({"ok": True})
