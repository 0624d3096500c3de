"""Key results feeding measures across units (``strategyhub.units``, issue 16): a feed must
be in the measure's unit or one convertible to it, the roll-up converts each result's value
into the measure's unit before combining (and the nightly recompute agrees), a result's
values keep to its unit's bounds, and changing a unit re-rolls the measure."""

import datetime as dt
import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry, CheckInRefused
from okrs.forms import CheckInForm
from okrs.keyresults import key_result_changed, rollup_inputs
from okrs.models import KeyResult
from okrs.rollup import recompute_rollups
from scorecards import signals
from scorecards.models import Measure, MeasureValue

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def values(measure):
    rows = MeasureValue.objects.filter(measure=measure).order_by("period")
    return dict(rows.values_list("period", "value"))


def _kr(org_a, okr, measure=None, **fields):
    defaults = dict(
        organization=org_a.org,
        objective=okr,
        title="A result",
        owner=org_a.contributor,
        kind="metric",
        start_value=D(2),
        target_value=D(1),
        measure=measure,
    )
    defaults.update(fields)
    return KeyResult.objects.create(**defaults)


def check_in(org_a, kr, day, value):
    kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
    return checkins.record(kr, org_a.contributor, CheckInEntry(as_of=day, value=D(value)))


# --- Roll-up with conversion ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("sum", D(150)),  # 1.5 h + 1 h = 90 + 60 minutes
        ("mean", D(75)),
        ("min", D(60)),
        ("max", D(90)),
        ("latest", D(60)),  # the check-in dated last
    ],
)
def test_results_in_hours_roll_up_into_a_minutes_measure(
    org_a, okr, response_measure, method, expected
):
    response_measure.rollup_method = method
    response_measure.save()
    with scope(organization=org_a.org):
        first = _kr(org_a, okr, response_measure, unit_kind="hours", title="Ward 1")
        second = _kr(org_a, okr, response_measure, unit_kind="hours", title="Ward 2", order=1)
        check_in(org_a, first, dt.date(2026, 11, 10), "1.5")
        check_in(org_a, second, dt.date(2026, 11, 12), "1")
        assert values(response_measure) == {NOV: expected}
        assert recompute_rollups(org_a.org) == 0  # the nightly recompute agrees


def test_minutes_into_hours_keep_full_precision_up_to_the_stored_places(org_a, okr, quarter):
    with scopes_disabled():
        hours = Measure.objects.get(pk=_hours_measure(org_a, okr).pk)
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, hours, unit_kind="minutes", start_value=D(60), target_value=D(30))
        check_in(org_a, kr, dt.date(2026, 11, 10), "20")
        assert values(hours) == {NOV: D("0.333333")}  # 20 / 60, stored to 6 places
        assert recompute_rollups(org_a.org) == 0


def _hours_measure(org_a, okr):
    measure = okr.strategic_objective.measures.create(
        organization=org_a.org,
        name="Hours to clear a scene",
        unit_kind="hours",
        decimals=2,
        polarity="lower",
        baseline_value=D(2),
        baseline_date=dt.date(2026, 6, 30),
        target_value=D(1),
        value_source="calculated",
        rollup_method="mean",
    )
    return measure


def test_a_rate_per_1000_feeds_a_rate_per_100000_by_the_ratio(org_a, okr, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(value_source="calculated")
        MeasureValue.objects.filter(measure=measure_a).delete()
        measure = Measure.objects.get(pk=measure_a.pk)
    with scope(organization=org_a.org):
        kr = _kr(
            org_a,
            okr,
            measure,
            unit_kind="rate",
            rate_per=1000,
            start_value=D("4.85"),
            target_value=D("3.64"),
        )
        kr.full_clean()
        check_in(org_a, kr, dt.date(2026, 11, 10), "4.7")
        assert values(measure) == {NOV: D(470)}
        assert recompute_rollups(org_a.org) == 0


def test_a_score_mean_is_not_converted(org_a, okr, response_measure):
    response_measure.rollup_method = "score_mean"
    response_measure.save()
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, response_measure, unit_kind="hours", start_value=D(2))
        check_in(org_a, kr, dt.date(2026, 11, 10), "1.5")  # half way
        assert values(response_measure) == {NOV: D("0.5")}


# --- Feeds refused across dimensions --------------------------------------------------------


def test_a_feed_across_dimensions_is_refused_naming_both_units(org_a, okr, response_measure):
    with scope(organization=org_a.org):
        kr = KeyResult(
            organization=org_a.org,
            objective=okr,
            title="Share on time",
            kind="metric",
            unit_kind="percent",
            start_value=D(40),
            target_value=D(60),
            measure=response_measure,
        )
        with pytest.raises(ValidationError) as refused:
            kr.full_clean()
        message = " ".join(refused.value.message_dict["measure"])
        assert "That measure is in minutes and this result in percent" in message
        kr.unit_kind, kr.start_value, kr.target_value = "days", D(2), D(1)
        kr.full_clean()  # a duration converts


def test_the_form_refuses_a_feed_across_dimensions(client, org_a, okr, response_measure):
    client.force_login(org_a.editor)
    data = {
        "title": "Fewer complaints",
        "kind": "metric",
        "unit_kind": "count",
        "decimals": 0,
        "start_value": "20",
        "target_value": "10",
        "weight": "1",
        "order": 0,
        "measure": response_measure.pk,
    }
    url = reverse("okrs:key_result_new", args=["alpha", okr.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_measure_error"' in body
    assert "That measure is in minutes and this result in count" in body
    assert client.post(url, {**data, "unit_kind": "hours"}).status_code == 302


def test_a_rate_result_needs_its_base(client, org_a, okr):
    client.force_login(org_a.editor)
    data = {
        "title": "Fewer burglaries",
        "kind": "metric",
        "unit_kind": "rate",
        "decimals": 1,
        "start_value": "3.2",
        "target_value": "2.5",
        "weight": "1",
        "order": 0,
    }
    url = reverse("okrs:key_result_new", args=["alpha", okr.pk])
    response = client.post(url, data)
    assert response.status_code == 400 and b"A rate needs its base" in response.content
    assert client.post(url, {**data, "rate_per": "1000"}).status_code == 302
    with scopes_disabled():
        assert KeyResult.objects.get(title="Fewer burglaries").rate_per == 1000


def test_the_check_in_label_shows_the_unit(org_a, okr):
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, unit_kind="rate", rate_per=1000)
        form = CheckInForm(key_result=kr, today=dt.date(2026, 11, 22))
        assert form.fields["value"].label == "Current value (per 1,000)"


# --- Bounds of a result's values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "refused"),
    [
        ("count", "-1", "A count is never negative"),
        ("percent", "101", "0% to 100%"),
        ("hours", "-2", "A duration is never negative"),
        ("percent_change", "-25", None),
        ("percent_change", "140", None),
    ],
)
def test_a_check_in_keeps_to_its_units_bounds(org_a, okr, code, value, refused):
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, unit_kind=code, start_value=D(10), target_value=D(20))
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
        entry = CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(value))
        if refused is None:
            checkins.validate(kr, entry, today=dt.date(2026, 11, 22))
            return
        with pytest.raises(CheckInRefused) as error:
            checkins.validate(kr, entry, today=dt.date(2026, 11, 22))
        assert refused in " ".join(error.value.message_dict["value"])


def test_a_results_targets_keep_to_its_units_bounds(org_a, okr):
    with scope(organization=org_a.org):
        kr = KeyResult(
            organization=org_a.org,
            objective=okr,
            title="Share trained",
            kind="metric",
            unit_kind="percent",
            start_value=D(40),
            target_value=D(120),
        )
        with pytest.raises(ValidationError) as refused:
            kr.full_clean()
        assert "target_value" in refused.value.message_dict
        kr.unit_kind = "percent_change"
        kr.full_clean()


def test_the_migration_lists_results_outside_their_units_bounds(org_a, okr, capsys):
    migration = importlib.import_module("okrs.migrations.0005_unit_vocabulary")
    with scopes_disabled():
        kr = _kr(org_a, okr, unit_kind="percent", start_value=D(10), target_value=D(20))
        KeyResult.objects.filter(pk=kr.pk).update(target_value=D(120))
        _kr(org_a, okr, unit_kind="percent_change", start_value=D(10), target_value=D(140))
        found = migration.outside_bounds(django_apps)
    assert [text for _org, text in found] == [
        f"key result {kr.pk} “A result”: outside its unit's bounds (kept): start "
        "10.000000, target 120.000000, floor None"
    ]


# --- A unit change re-rolls the measure -----------------------------------------------------


def test_changing_a_results_unit_re_rolls_its_measure(org_a, okr, response_measure, kr_response):
    with scope(organization=org_a.org):
        check_in(org_a, kr_response, dt.date(2026, 11, 10), "0.15")
        assert values(response_measure) == {NOV: D("0.15")}
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr_response.pk)
        before = rollup_inputs(kr)
        kr.unit_kind, kr.start_value, kr.target_value = "hours", D("0.2"), D("0.1")
        with transaction.atomic():
            kr.save()
            key_result_changed(kr, before)
        assert values(response_measure) == {NOV: D(9)}  # 0.15 h = 9 minutes
        assert recompute_rollups(org_a.org) == 0


def test_changing_a_measures_unit_or_base_is_a_roll_up_change(org_a, okr, response_measure):
    assert "rate_per" in Measure.ROLLUP_FIELDS and "unit_kind" in Measure.ROLLUP_FIELDS
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, response_measure, unit_kind="hours")
        check_in(org_a, kr, dt.date(2026, 11, 10), "1.5")
        assert values(response_measure) == {NOV: D(90)}
        response_measure.unit_kind = "hours"
        response_measure.save()
        signals.measure_rollup_changed.send(sender=Measure, measure=response_measure)
        assert values(response_measure) == {NOV: D("1.5")}


def test_a_feed_whose_measure_changed_dimension_is_left_out(org_a, okr, response_measure):
    """The measure's unit changed after the feed was set (scorecards knows nothing of its
    feeds): the values that do not convert are left out, not misread."""
    with scope(organization=org_a.org):
        hours = _kr(org_a, okr, response_measure, unit_kind="hours", title="In hours")
        check_in(org_a, hours, dt.date(2026, 11, 10), "1.5")
        response_measure.unit_kind = "currency"
        response_measure.save()
        signals.measure_rollup_changed.send(sender=Measure, measure=response_measure)
        assert values(response_measure) == {}
        assert recompute_rollups(org_a.org) == 0
