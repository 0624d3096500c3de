"""The ``history`` manager's class is built once per model (``strategyhub.history``), and
the managers work as the library's: an instance's history, the model's, the rows a save
writes."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scope
from simple_history.manager import HistoryManager

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.models import CheckIn, KeyResult
from scorecards.models import Measure

pytestmark = pytest.mark.usefixtures("clock")


def test_every_tracked_model_shares_one_manager_class_per_model():
    for model in (CheckIn, KeyResult, Measure):
        first, second = model.history, model.history
        assert first is not second  # a manager per access, as the library makes them
        assert type(first) is type(second)
        assert isinstance(first, HistoryManager)
        assert first.model is model.history.model


def test_the_managers_still_read_and_write_history(org_a, kr_response):
    with scope(organization=org_a.org):
        for value in (D(5), D(6)):
            checkins.record(
                kr_response,
                org_a.contributor,
                CheckInEntry(as_of=dt.date(2026, 11, 20), value=value),
            )
        checkin = CheckIn.objects.filter(key_result=kr_response).latest("pk")
        assert checkin.history.count() == 1
        assert checkin.history.first().value == D(6)
        assert CheckIn.history.filter(key_result_id=kr_response.pk).count() == 2
        assert type(checkin.history) is type(CheckIn.history)
