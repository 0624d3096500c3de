"""schemathesis against the OpenAPI document: generated requests to every operation, with
a read-and-write admin token of an agency that has data. No answer may be a server error;
every answer's status, content type and body must match the document."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.v1.urls import api
from tests.api import world

pytestmark = pytest.mark.usefixtures("clock")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _world(db, org_a, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.API_RATE_LIMIT = 100_000
    world.build(org_a)
    # As Django's test client does: the test's transaction stays open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(org_a, make_token):
    return make_token(org_a, "admin").secret


# Loaded from the API object itself (the same document /api/v1/openapi.json serves, which
# the test below checks), then called through Django's WSGI handler. (schemathesis' lazy
# ``from_fixture`` loader does not run on pytest 9.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,  # no .hypothesis/ directory in the checkout
)
def test_the_api_matches_its_openapi_document(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)


def test_the_document_describes_every_operation_and_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document == json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    assert document["openapi"].startswith("3.")
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert "/api/v1/values/bulk" in document["paths"]
