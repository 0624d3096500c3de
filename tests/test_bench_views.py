"""The benchmark's reference views (strategyhub/views/bench.py), served only with
STRATEGYHUB_BENCH=1: here mounted on the project's URLs through this module's urlconf."""

import pytest
from django.test import Client
from django.urls import path

from strategyhub.config.urls import urlpatterns as project_urls
from strategyhub.views.bench import hello, signed_in_post

urlpatterns = [
    *project_urls,
    path("bench/hello", hello),
    path("o/<slug:org_slug>/bench/post", signed_in_post),
]

pytestmark = pytest.mark.urls(__name__)
FLOOR = "/o/alpha/bench/post"


def test_hello_world_needs_nobody(client, db):
    response = client.get("/bench/hello")
    assert response.status_code == 200
    assert response.content == b"Hello, world"


def test_signed_in_post_floor_answers_a_member(client, org_a):
    client.force_login(org_a.viewer)
    response = client.post(FLOOR, {"a": "1", "b": "2"})
    assert response.status_code == 200
    assert response.content == b"Received 2 fields"


def test_signed_in_post_floor_sends_anonymous_to_sign_in(client, org_a):
    response = client.post(FLOOR, {"a": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signed_in_post_floor_is_404_for_another_agency(client, org_a, org_b):
    client.force_login(org_b.admin)
    assert client.post(FLOOR, {"a": "1"}).status_code == 404


def test_signed_in_post_floor_takes_posts_with_a_csrf_token_only(org_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_a.editor)
    assert client.get(FLOOR).status_code == 405
    assert client.post(FLOOR, {"a": "1"}).status_code == 403


PLAN = "/o/alpha/plan/"


@pytest.mark.usefixtures("clock")
def test_page_build_header_tells_a_built_page_from_a_cached_one(client, settings, org_a, measure_a):
    """Benchmark mode: the page cache says whether the page was built or served cached (the
    mixed workload's cold share); without the page cache every page is built."""
    settings.STRATEGYHUB_BENCH = True
    settings.PAGE_CACHE = True
    client.force_login(org_a.editor)
    first = client.get(PLAN)
    assert first.status_code == 200
    assert first["X-Page-Build"] == "built"
    again = client.get(PLAN)
    assert again["X-Page-Build"] == "cached"
    settings.PAGE_CACHE = False
    assert client.get(PLAN)["X-Page-Build"] == "built"


@pytest.mark.usefixtures("clock")
def test_page_build_header_only_in_benchmark_mode(client, settings, org_a, measure_a):
    settings.STRATEGYHUB_BENCH = False
    settings.PAGE_CACHE = True
    client.force_login(org_a.editor)
    for _ in range(2):
        response = client.get(PLAN)
        assert response.status_code == 200
        assert "X-Page-Build" not in response
