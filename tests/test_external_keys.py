"""External keys (``strategyhub.external_keys``): each exported row's stable key within its
own agency."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from scorecards.models import (
    CausalLink,
    Measure,
    Perspective,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from strategyhub.external_keys import NewKey
from strategyhub.models import Unit
from tests.factories import MeasureFactory, UnitFactory

pytestmark = pytest.mark.usefixtures("clock")


def test_every_exported_model_has_a_key_unique_per_agency():
    for model in (
        Unit,
        StrategicPlan,
        Perspective,
        Theme,
        StrategicObjective,
        CausalLink,
        Measure,
        Cycle,
        OkrObjective,
        KeyResult,
        CheckIn,
    ):
        field = model._meta.get_field("external_key")
        assert isinstance(field.default, NewKey) and not field.null, model
        assert any(
            getattr(c, "fields", ()) == ("organization", "external_key")
            for c in model._meta.constraints
        ), model


def test_new_rows_get_a_short_random_key_with_their_prefix(org_a):
    keys = {NewKey("MEA")() for _ in range(500)}
    assert len(keys) == 500
    assert all(re.fullmatch(r"MEA-[A-Z2-7]{10}", key) for key in keys)
    with scopes_disabled():
        measure = MeasureFactory(organization=org_a.org)
        key = measure.external_key
        assert key.startswith("MEA-")
        measure.name = "Renamed"
        measure.save()
        measure.refresh_from_db()
        assert measure.external_key == key  # an edit keeps it


def test_a_key_is_unique_within_an_agency_not_across_agencies(org_a, org_b):
    with scopes_disabled():
        UnitFactory(organization=org_a.org, name="One", external_key="UNIT-1")
        UnitFactory(organization=org_b.org, name="One", external_key="UNIT-1")  # fine
        with pytest.raises(IntegrityError), transaction.atomic():
            UnitFactory(organization=org_a.org, name="Two", external_key="UNIT-1")
