"""The API's access matrix: every endpoint without a token, with an unknown, expired or
revoked token, for a person who lost access, with another agency's ids, with a read token
on a write, for each role below the lowest allowed, and the happy path."""

from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from api.models import ApiToken
from strategyhub.models import Membership
from strategyhub.roles import Role
from tests.api import world

pytestmark = pytest.mark.usefixtures("clock")

ROLE_ORDER = [Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {name} filled from the world's ids
    minimum: str = Role.VIEWER
    body: dict = field(default_factory=dict)
    ok: int = 200

    @property
    def writes(self) -> bool:
        return self.method == "post"

    @property
    def takes_ids(self) -> bool:
        return "{" in self.path


ENDPOINTS = [
    Endpoint("get", "/plans"),
    Endpoint("get", "/plans/{plan}"),
    Endpoint("get", "/perspectives"),
    Endpoint("get", "/themes"),
    Endpoint("get", "/objectives"),
    Endpoint("get", "/measures"),
    Endpoint("get", "/measures/{measure}"),
    Endpoint("get", "/measures/{measure}/values"),
    Endpoint("get", "/cycles"),
    Endpoint("get", "/okr-objectives"),
    Endpoint("get", "/key-results"),
    Endpoint("get", "/key-results/{key_result}"),
    Endpoint("get", "/check-ins"),
    Endpoint("get", "/tombstones"),
    Endpoint("get", "/units"),
    Endpoint("get", "/owners"),
    Endpoint(
        "post",
        "/measures/{measure}/values",
        Role.CONTRIBUTOR,  # the measure's owner
        {"period": "2026-10-01", "value": 120},
        201,
    ),
    Endpoint(
        "post",
        "/values/bulk",
        Role.CONTRIBUTOR,
        {"values": [{"measure_id": "{measure}", "period": "2026-10-01", "value": 120}]},
        201,
    ),
    Endpoint(
        "post",
        "/key-results/{key_result}/check-ins",
        Role.CONTRIBUTOR,  # the result's owner
        {"as_of": "2026-11-20", "value": 45},
        201,
    ),
]


def _fill(text, ids):
    return text.format(**ids) if isinstance(text, str) else text


def _body(body, ids):
    if isinstance(body, dict):
        return {k: _body(v, ids) for k, v in body.items()}
    if isinstance(body, list):
        return [_body(v, ids) for v in body]
    if isinstance(body, str) and body.startswith("{"):
        return int(body.format(**ids))
    return body


def call(api, endpoint, ids, token):
    path = _fill(endpoint.path, ids)
    if endpoint.writes:
        return api.post(path, _body(endpoint.body, ids), token)
    return api.get(path, token)


def _name(endpoint):
    return f"{endpoint.method} {endpoint.path}"


@pytest.fixture
def ids_a(org_a):
    return world.build(org_a)


@pytest.fixture
def ids_b(org_b):
    return world.build(org_b)


def test_every_route_is_in_the_matrix():
    from api.v1.core import api

    routes = {
        f"{method} {path.removeprefix('/api/v1')}".replace("_id}", "}")
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    assert routes == {f"{e.method} {e.path}" for e in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_name)
def test_no_token_or_an_unknown_one_is_401(api, ids_a, endpoint):
    assert call(api, endpoint, ids_a, None).status_code == 401
    response = call(api, endpoint, ids_a, "shk_00000000_" + "x" * 43)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_name)
def test_expired_and_revoked_tokens_are_401(api, org_a, ids_a, make_token, endpoint):
    expired = make_token(org_a, "admin")
    revoked = make_token(org_a, "admin")
    with scopes_disabled():
        ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
        ApiToken.objects.filter(pk=revoked.token.pk).update(revoked_at=timezone.now())
    assert call(api, endpoint, ids_a, expired.secret).status_code == 401
    assert call(api, endpoint, ids_a, revoked.secret).status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_name)
def test_a_person_without_access_is_401(api, org_a, ids_a, make_token, endpoint):
    deactivated = make_token(org_a, "admin")
    blocked = make_token(org_a, "editor")
    with scopes_disabled():
        Membership.objects.filter(user=org_a.admin).update(is_active=False)
    org_a.editor.is_active = False
    org_a.editor.save()
    assert call(api, endpoint, ids_a, deactivated.secret).status_code == 401
    assert call(api, endpoint, ids_a, blocked.secret).status_code == 401


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.takes_ids], ids=_name)
def test_another_agencys_ids_are_404(api, org_a, ids_a, ids_b, make_token, endpoint):
    token = make_token(org_a, "admin").secret
    assert call(api, endpoint, ids_b, token).status_code == 404


def test_another_agencys_measure_in_a_bulk_row_is_unknown(api, org_a, ids_a, ids_b, make_token):
    token = make_token(org_a, "admin").secret
    bulk = next(e for e in ENDPOINTS if e.path == "/values/bulk")
    response = call(api, bulk, ids_b, token)
    assert response.status_code == 422
    assert response.json()["rows"][0]["errors"] == {
        "measure_id": ["No such measure in this agency."]
    }


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.writes], ids=_name)
def test_a_read_token_cannot_write(api, org_a, ids_a, make_token, endpoint):
    token = make_token(org_a, "admin", scope="read").secret
    response = call(api, endpoint, ids_a, token)
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_name)
def test_each_role(api, org_a, ids_a, make_token, endpoint):
    lowest = ROLE_ORDER.index(endpoint.minimum)
    for role in ROLE_ORDER[:lowest]:
        token = make_token(org_a, role).secret
        assert call(api, endpoint, ids_a, token).status_code == 403, role
    token = make_token(org_a, endpoint.minimum).secret
    response = call(api, endpoint, ids_a, token)
    assert response.status_code == endpoint.ok, response.content
    assert response["Content-Type"].startswith("application/json")
