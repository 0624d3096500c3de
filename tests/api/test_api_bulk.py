"""Bulk values: many periods of many measures, all or nothing, on PostgreSQL."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scope

from scorecards.models import Measure, MeasureState, MeasureValue
from tests.factories import MeasureFactory

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def second_measure(org_a, objective_a):
    return MeasureFactory(objective=objective_a, organization=org_a.org)


def _count(org):
    with scope(organization=org):
        return MeasureValue.objects.count()


def test_a_month_of_values_for_many_measures(api, org_a, measure_a, second_measure, make_token):
    token = make_token(org_a, "editor").secret
    rows = [
        {"measure_id": measure_a.pk, "period": "2026-10-01", "value": 462},
        {"measure_id": second_measure.pk, "period": "2026-09-01", "value": 111},
        {"measure_id": second_measure.pk, "period": "2026-10-01", "value": 112},
    ]
    response = api.post("/values/bulk", {"values": rows}, token)
    assert response.status_code == 201, response.content
    assert response.json()["stored"] == 3
    with scope(organization=org_a.org):
        state = MeasureState.objects.get(measure=second_measure)
        assert (state.latest_period, state.latest_value) == (dt.date(2026, 10, 1), D(112))
        assert MeasureState.objects.get(measure=measure_a).latest_value == D(462)


def test_one_bad_row_stores_nothing_and_every_bad_row_is_named(
    api, org_a, measure_a, second_measure, response_measure, make_token
):
    token = make_token(org_a, "editor").secret
    before = _count(org_a.org)
    rows = [
        {"measure_id": measure_a.pk, "period": "2026-10-01", "value": 462},
        {"measure_id": second_measure.pk, "period": "2040-01-01", "value": 111},
        {"measure_id": response_measure.pk, "period": "2026-10-01", "value": 8},
        {"measure_id": 999999, "period": "2026-10-01", "value": 8},
        {"measure_id": measure_a.pk, "period": "2026-10-01", "value": 463},  # twice
    ]
    response = api.post("/values/bulk", {"values": rows}, token)
    assert response.status_code == 422
    body = response.json()
    assert "nothing was stored" in body["detail"]
    assert [row["row"] for row in body["rows"]] == [1, 2, 3, 4]
    assert "period" in body["rows"][0]["errors"]
    assert "calculated" in body["rows"][1]["errors"]["value"][0]
    assert _count(org_a.org) == before
    with scope(organization=org_a.org):
        assert MeasureState.objects.get(measure=measure_a).latest_period == dt.date(2026, 9, 1)


def test_too_many_rows_is_400(api, org_a, measure_a, make_token):
    token = make_token(org_a, "editor").secret
    rows = [{"measure_id": measure_a.pk, "period": "2026-10-01", "value": 1}] * 10_000
    response = api.post("/values/bulk", {"values": rows}, token)
    assert response.status_code == 400
    assert "values" in response.json()["errors"]
    assert _count(org_a.org) == 1


def test_a_contributor_only_enters_their_own_measures(
    api, org_a, measure_a, second_measure, make_token
):
    token = make_token(org_a, "contributor").secret
    rows = [
        {"measure_id": measure_a.pk, "period": "2026-10-01", "value": 462},
        {"measure_id": second_measure.pk, "period": "2026-10-01", "value": 1},
    ]
    response = api.post("/values/bulk", {"values": rows}, token)
    assert response.status_code == 422
    assert response.json()["rows"] == [
        {"row": 1, "errors": {"measure_id": ["You may not enter values for this measure."]}}
    ]
    assert _count(org_a.org) == 1


def test_the_service_is_all_or_nothing_for_the_import_too(org_a, measure_a, second_measure):
    from scorecards import bulk_values

    rows = [
        bulk_values.ValueRow(measure_a.pk, dt.date(2026, 10, 1), D(462)),
        bulk_values.ValueRow(second_measure.pk, dt.date(2027, 1, 1), D(1)),
    ]
    with scope(organization=org_a.org):
        with pytest.raises(bulk_values.BulkRefused) as refused:
            bulk_values.store_values(org_a.org, org_a.editor, rows)
        assert refused.value.rows[0].row == 1
        assert MeasureValue.objects.count() == 1
        stored = bulk_values.store_values(org_a.org, org_a.editor, rows[:1])
        assert [v.value for v in stored] == [D(462)]
        assert Measure.objects.get(pk=measure_a.pk).state.latest_value == D(462)
