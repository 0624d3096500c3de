"""Writes through the API: the same services and rules as the forms, bad input answered
with a clear 4xx JSON and nothing stored, retries made safe by Idempotency-Key."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse
from django_scopes import scope

from okrs.models import CheckIn, KeyResult
from scorecards.models import MeasureValue

pytestmark = pytest.mark.usefixtures("clock")


def _values(org, measure):
    with scope(organization=org):
        return list(MeasureValue.objects.filter(measure=measure).values_list("period", "value"))


def _url(measure):
    return f"/measures/{measure.pk}/values"


def test_a_value_is_stored_with_the_person_and_the_token_in_history(
    api, org_a, measure_a, make_token
):
    token = make_token(org_a, "contributor", name="CAD nightly export").secret
    response = api.post(_url(measure_a), {"period": "2026-10-15", "value": 455.5}, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == "2026-10-01" and body["value"] == 455.5
    with scope(organization=org_a.org):
        stored = MeasureValue.objects.get(pk=body["id"])
        assert stored.entered_by == org_a.contributor
        record = stored.history.latest()
        assert record.history_user == org_a.contributor
        assert record.history_change_reason == "API token “CAD nightly export”"


def test_a_second_value_needs_a_correction(api, org_a, measure_a, make_token):
    token = make_token(org_a, "editor").secret
    again = api.post(_url(measure_a), {"period": "2026-09-01", "value": 460}, token)
    assert again.status_code == 422
    assert "already has a value" in again.json()["errors"]["period"][0]
    fixed = api.post(
        _url(measure_a), {"period": "2026-09-01", "value": 460, "correction": True}, token
    )
    assert fixed.status_code == 201
    assert _values(org_a.org, measure_a) == [(dt.date(2026, 9, 1), D(460))]


def test_a_calculated_measure_answers_409(api, org_a, response_measure, make_token):
    token = make_token(org_a, "admin").secret
    response = api.post(_url(response_measure), {"period": "2026-10-01", "value": 8}, token)
    assert response.status_code == 409
    assert "calculated from its key results" in response.json()["detail"]
    assert _values(org_a.org, response_measure) == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"period": "2026-10-01", "value": "many"}, 400, "value"),  # text for a number
        ({"period": "October", "value": 1}, 400, "period"),
        ({"value": 1}, 400, "period"),
        ({"period": "2031-10-01", "value": 400}, 422, "period"),  # outside the plan
        ({"period": "2026-12-01", "value": 400}, 422, "period"),  # not started yet
        ({"period": "2026-10-01", "value": 400, "note": "x" * 2001}, 422, "note"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(
    api, org_a, measure_a, make_token, body, status, field
):
    token = make_token(org_a, "admin").secret
    response = api.post(_url(measure_a), body, token)
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert len(_values(org_a.org, measure_a)) == 1  # the fixture's value only


def test_malformed_json_and_wrong_content_type(api, org_a, measure_a, make_token):
    token = make_token(org_a, "admin").secret
    broken = api.post(_url(measure_a), '{"period": "2026-10-01", "value": ', token)
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("Cannot parse")
    form = api.post(_url(measure_a), "period=2026-10-01&value=1", token, content_type="text/plain")
    assert form.status_code == 415
    assert len(_values(org_a.org, measure_a)) == 1


def test_a_retried_post_with_its_idempotency_key_stores_once(api, org_a, measure_a, make_token):
    token = make_token(org_a, "admin").secret
    headers = {"Idempotency-Key": "nightly-2026-10-run-1"}
    body = {"period": "2026-10-01", "value": 450}
    first = api.post(_url(measure_a), body, token, headers=headers)
    second = api.post(_url(measure_a), body, token, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(_values(org_a.org, measure_a)) == 2
    other = api.post(_url(measure_a), {**body, "value": 451}, token, headers=headers)
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    bad_key = api.post(_url(measure_a), body, token, headers={"Idempotency-Key": "x"})
    assert bad_key.status_code == 400


def test_a_refused_write_does_not_spend_its_key(api, org_a, measure_a, make_token):
    token = make_token(org_a, "admin").secret
    headers = {"Idempotency-Key": "nightly-2026-10-run-2"}
    refused = api.post(
        _url(measure_a), {"period": "2026-12-01", "value": 1}, token, headers=headers
    )
    assert refused.status_code == 422
    ok = api.post(_url(measure_a), {"period": "2026-10-01", "value": 1}, token, headers=headers)
    assert ok.status_code == 201


# --- check-ins ------------------------------------------------------------------------------


def _form_check_in(client, org_a, kr, as_of, value):
    client.force_login(org_a.contributor)
    data = {f"kr{kr.pk}-as_of": as_of, f"kr{kr.pk}-value": value}
    response = client.post(
        reverse("okrs:checkin", args=["alpha", kr.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    client.logout()


def _effect(org, kr, measure):
    with scope(organization=org):
        kr = KeyResult.objects.get(pk=kr.pk)
        values = list(
            MeasureValue.objects.filter(measure=measure).values_list("period", "value", "source")
        )
        return (kr.current_value, kr.current_as_of, kr.score, values)


def test_a_check_in_through_the_api_moves_the_measure_exactly_as_the_form(
    api, client, org_a, kr_response, response_measure, make_token
):
    # The form's effect, measured and rolled back.
    with transaction.atomic():
        _form_check_in(client, org_a, kr_response, "2026-11-20", "8.6")
        by_form = _effect(org_a.org, kr_response, response_measure)
        transaction.set_rollback(True)
    assert _effect(org_a.org, kr_response, response_measure)[3] == []
    token = make_token(org_a, "contributor").secret
    response = api.post(
        f"/key-results/{kr_response.pk}/check-ins", {"as_of": "2026-11-20", "value": 8.6}, token
    )
    assert response.status_code == 201, response.content
    by_api = _effect(org_a.org, kr_response, response_measure)
    assert by_api == by_form
    assert by_api[3], "the calculated measure got its value"
    body = response.json()
    assert body["measure_value"]["value"] == float(by_api[3][-1][1])
    assert body["key_result"]["current_value"] == 8.6
    with scope(organization=org_a.org):
        checkin = CheckIn.objects.get()
        assert checkin.author == org_a.contributor
        assert checkin.history.latest().history_change_reason.startswith("API token")


def test_a_check_in_on_a_closed_quarter_is_422(api, org_a, quarter, kr_response, make_token):
    quarter.status = "closed"
    quarter.save()
    token = make_token(org_a, "admin").secret
    response = api.post(
        f"/key-results/{kr_response.pk}/check-ins", {"as_of": "2026-11-20", "value": 8.6}, token
    )
    assert response.status_code == 422
    assert "closed" in response.json()["errors"]["as_of"][0]
    with scope(organization=org_a.org):
        assert not CheckIn.objects.exists()


def test_a_retried_check_in_is_stored_once(api, org_a, kr_response, make_token):
    token = make_token(org_a, "contributor").secret
    headers = {"Idempotency-Key": "checkin-week-47-abcdef"}
    body = {"as_of": "2026-11-20", "value": 8.6}
    url = f"/key-results/{kr_response.pk}/check-ins"
    first = api.post(url, body, token, headers=headers)
    second = api.post(url, body, token, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["checkin"]["id"] == second.json()["checkin"]["id"]
    with scope(organization=org_a.org):
        assert CheckIn.objects.count() == 1


def test_a_check_in_missing_its_value_is_422(api, org_a, kr_response, make_token):
    token = make_token(org_a, "contributor").secret
    response = api.post(f"/key-results/{kr_response.pk}/check-ins", {"as_of": "2026-11-20"}, token)
    assert response.status_code == 422
    assert response.json()["errors"]["value"] == ["Enter the current value."]
