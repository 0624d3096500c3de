"""Incremental feeds: ``updated_since`` on values and check-ins (the roll-up's bulk update
moves the time too), and tombstones for deleted rows."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_scopes import scope

from okrs import checkins
from scorecards.models import MeasureValue

pytestmark = pytest.mark.usefixtures("clock")


def test_updated_since_and_tombstones(api, org_a, measure_a, kr_response, make_token):
    token = make_token(org_a, "editor").secret
    mark = timezone.now()
    url = f"/measures/{measure_a.pk}/values"
    assert api.get(url, token, updated_since=mark.isoformat()).json()["items"] == []
    api.post(url, {"period": "2026-10-01", "value": 460}, token)
    fresh = api.get(url, token, updated_since=mark.isoformat()).json()["items"]
    assert [item["period"] for item in fresh] == ["2026-10-01"]

    # A check-in's roll-up writes the calculated measure's values in bulk: they move too.
    with scope(organization=org_a.org):
        checkins.record(
            kr_response, org_a.contributor, checkins.CheckInEntry(dt.date(2026, 11, 20), D("8.6"))
        )
        rolled = MeasureValue.objects.filter(measure=kr_response.measure_id).get()
    later = timezone.now()
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            checkins.CheckInEntry(dt.date(2026, 11, 21), D("8.2")),
        )
    moved = api.get(
        f"/measures/{kr_response.measure_id}/values", token, updated_since=later.isoformat()
    ).json()["items"]
    assert [item["id"] for item in moved] == [rolled.pk]
    feed = api.get("/check-ins", token, updated_since=later.isoformat()).json()["items"]
    assert len(feed) == 1

    with scope(organization=org_a.org):
        MeasureValue.objects.filter(measure=measure_a, period=dt.date(2026, 10, 1)).delete()
        gone = fresh[0]["id"]
    stones = api.get("/tombstones", token, since=mark.isoformat(), kind="measure_value").json()
    assert [(t["kind"], t["object_id"]) for t in stones["items"]] == [("measure_value", gone)]
    assert api.get("/tombstones", token, updated_since="yesterday").status_code in (200, 400)
    assert api.get("/measures/1/values", token, updated_since="not a time").status_code in (
        400,
        404,
    )
