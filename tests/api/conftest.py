"""Fixtures of the API tests: tokens for agency A's members, a client that sends them, and
the OKR fixtures of ``tests/okrs`` (a quarter, an objective, a calculated measure fed by a
key result)."""

import json

import pytest
from django_scopes import scopes_disabled

from api import tokens
from strategyhub.models import Membership
from tests.okrs.conftest import (  # noqa: F401 (fixtures)
    PLANNED,
    kr_patrols,
    kr_response,
    okr,
    quarter,
    response_measure,
)


@pytest.fixture
def make_token():
    def make(personas, role="admin", scope="write", days=90, name="Nightly feed"):
        with scopes_disabled():
            membership = Membership.objects.select_related("organization", "user").get(
                organization=personas.org, user=personas.user(role)
            )
            return tokens.issue(membership, name=name, scope=scope, expires_in_days=days)

    return make


class Api:
    def __init__(self, client):
        self.client = client

    @staticmethod
    def _headers(token, extra=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(extra or {})
        return headers

    def get(self, path, token=None, **params):
        headers = params.pop("headers", None)
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(token, headers))

    def post(self, path, body, token=None, headers=None, content_type="application/json"):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type=content_type,
            headers=self._headers(token, headers),
        )


@pytest.fixture
def api(client):
    return Api(client)
