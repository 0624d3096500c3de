"""Reads: the pages' numbers, cursor pagination, filters, ETag / 304, owners' emails only for
an admin, bounded queries with thousands of rows, the rate limit."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scope, scopes_disabled

from okrs.models import CheckIn, KeyResult
from scorecards import state
from scorecards.models import Measure
from scorecards.queries import measures_with_recent_values, states_for

pytestmark = pytest.mark.usefixtures("clock")


def test_measures_show_the_status_latest_value_and_target_the_pages_show(
    api, org_a, plan_a, measure_a, make_token
):
    token = make_token(org_a, "viewer", scope="read").secret
    item = api.get(f"/measures/{measure_a.pk}", token).json()
    with scope(organization=org_a.org):
        found = list(measures_with_recent_values(Measure.objects.filter(pk=measure_a.pk)))
        page_state = states_for(found, plan_a, org_a.org, org_a.org.today())[measure_a.pk]
    assert item["status"] == page_state.status.value == "stale"
    assert item["latest_value"] == float(page_state.assessment.latest_value) == 470
    assert item["latest_period"] == "2026-09-01"
    assert item["due_now_low"] == pytest.approx(float(page_state.due_now.low))


def test_cursor_pagination_and_filters(api, org_a, plan_a, objective_a, measure_a, make_token):
    with scopes_disabled():
        for n in range(5):
            Measure.objects.create(
                organization=org_a.org,
                objective=objective_a,
                name=f"Extra {n}",
                baseline_value=D(1),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(2),
            )
    token = make_token(org_a, "viewer", scope="read").secret
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/measures", token, **params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 == len(set(seen)) and seen == sorted(seen)
    owned = api.get("/measures", token, owner=org_a.contributor.pk).json()["items"]
    assert [item["id"] for item in owned] == [measure_a.pk]
    assert api.get("/measures", token, cursor="not-a-cursor").status_code == 400
    assert api.get("/measures", token, limit=100000).status_code == 400


def test_etag_and_if_none_match(api, org_a, plan_a, measure_a, make_token, clock):
    token = make_token(org_a, "viewer", scope="read").secret
    first = api.get("/measures", token)
    tag = first["ETag"]
    again = api.get("/measures", token, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    clock.advance(1)  # statuses move with the calendar: a new day, a new tag
    assert api.get("/measures", token, headers={"If-None-Match": tag}).status_code == 200


def test_owner_emails_only_for_an_admin(api, org_a, make_token):
    viewer = api.get("/owners", make_token(org_a, "viewer", scope="read").secret).json()
    assert {item["email"] for item in viewer["items"]} == {None}
    admin = api.get("/owners", make_token(org_a, "admin", scope="read").secret).json()
    assert "viewer@alpha.test" in {item["email"] for item in admin["items"]}


def test_no_active_plan_is_404(api, org_a, make_token):
    response = api.get("/measures", make_token(org_a, "viewer", scope="read").secret)
    assert response.status_code == 404
    assert "no active plan" in response.json()["detail"]


@pytest.fixture
def thousands(org_a, objective_a, okr):
    """2,000 measures with values and states, 1,000 key results with a check-in each."""
    with scopes_disabled():
        measures = Measure.objects.bulk_create(
            Measure(
                organization=org_a.org,
                objective=objective_a,
                name=f"Measure {n}",
                baseline_value=D(100),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(150),
                owner=org_a.contributor,
            )
            for n in range(2000)
        )
        state.refresh_all()
        results = KeyResult.objects.bulk_create(
            KeyResult(
                organization=org_a.org,
                objective=okr,
                title=f"Result {n}",
                kind="metric",
                start_value=D(0),
                target_value=D(100),
            )
            for n in range(1000)
        )
        CheckIn.objects.bulk_create(
            CheckIn(organization=org_a.org, key_result=kr, as_of=dt.date(2026, 11, 16), value=D(40))
            for kr in results
        )
    return measures


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/measures", 8),
        ("/key-results", 8),
        ("/check-ins", 6),
        ("/objectives", 6),
        ("/owners", 6),
    ],
)
def test_list_queries_are_bounded(
    api, org_a, plan_a, thousands, make_token, django_assert_max_num_queries, path, queries
):
    token = make_token(org_a, "admin", scope="read").secret
    api.get(path, token)  # the token's last-used time is written on its first use
    with django_assert_max_num_queries(queries):
        body = api.get(path, token, limit=500).json()
    assert len(body["items"]) == 500 or path in ("/objectives", "/owners")


def test_rate_limit_answers_429_with_retry_after(api, org_a, make_token, settings):
    settings.API_RATE_LIMIT = 3
    token = make_token(org_a, "viewer", scope="read")
    statuses = [api.get("/units", token.secret).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    limited = api.get("/units", token.secret)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["detail"]
    other = make_token(org_a, "viewer", scope="read").secret  # per token
    assert api.get("/units", other).status_code == 200
