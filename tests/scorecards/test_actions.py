"""The named actions of the strategic layer (``scorecards.plans``, ``scorecards.measures``)
and the value form that shares the value rules with ``store_value``."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scopes_disabled

from scorecards import measures, plans, signals
from scorecards.forms import MeasureForm, ValueForm
from scorecards.models import (
    CausalLink,
    FocusEntry,
    FocusLevel,
    Measure,
    MeasureValue,
    StrategicObjective,
    ValueSource,
)

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _value_form(organization, plan, measure, **data):
    return ValueForm(
        {"value": "450", "note": "", **data},
        measure=measure,
        plan=plan,
        organization=organization.org,
    )


@scopes_disabled()
def test_value_form_refuses_a_period_that_has_not_started(org_a, plan_a, measure_a):
    form = _value_form(org_a, plan_a, measure_a, period="2027-01-15")
    assert not form.is_valid()
    assert form.errors["period"] == ["That period has not started yet."]


@scopes_disabled()
def test_value_form_refuses_a_period_outside_the_plan(org_a, plan_a, measure_a):
    form = _value_form(org_a, plan_a, measure_a, period="2020-01-15")
    assert not form.is_valid()
    assert "(the plan)" in form.errors["period"][0]


@scopes_disabled()
def test_value_form_refuses_typing_into_a_calculated_measure(org_a, plan_a, measure_a):
    measure_a.value_source = ValueSource.CALCULATED
    form = _value_form(org_a, plan_a, measure_a, period="2026-10-15")
    assert not form.is_valid()
    assert "calculated from its key results" in form.errors["value"][0]


@scopes_disabled()
def test_store_value_refuses_what_the_form_refuses(org_a, plan_a, measure_a):
    with pytest.raises(measures.ValueRefused) as refused:
        measures.record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            period=dt.date(2027, 1, 15),
            value=D(450),
            user=None,
        )
    assert refused.value.message_dict == {"period": ["That period has not started yet."]}
    assert MeasureValue.objects.filter(measure=measure_a).count() == 1


@scopes_disabled()
def test_a_correction_writes_what_it_changes_and_keeps_the_earlier_value(org_a, plan_a, measure_a):
    """A correction (``correction=True``) rewrites the value, note, source and who entered
    it, moves ``entered_at`` (the API's feed of changed values follows it), keeps the row's
    agency, measure and period, and leaves the earlier value in the row's history."""
    first = measures.record_value(
        measure_a,
        plan=plan_a,
        organization=org_a.org,
        period=dt.date(2026, 8, 3),
        value=D(470),
        user=None,
    )
    before = MeasureValue.objects.get(pk=first.pk)
    corrected = measures.record_value(
        measure_a,
        plan=plan_a,
        organization=org_a.org,
        period=dt.date(2026, 8, 20),
        value=D("455.5"),
        user=org_a.editor,
        note="Late report from district 4",
        correction=True,
    )
    assert corrected.pk == first.pk
    row = MeasureValue.objects.get(pk=first.pk)
    assert (row.value, row.note, row.entered_by, row.source) == (
        D("455.5"),
        "Late report from district 4",
        org_a.editor,
        "entered",
    )
    assert (row.organization_id, row.measure_id, row.period) == (
        org_a.org.pk,
        measure_a.pk,
        dt.date(2026, 8, 1),
    )
    assert row.entered_at > before.entered_at
    assert [h.value for h in row.history.order_by("history_date")] == [D(470), D("455.5")]


@scopes_disabled()
def test_value_form_accepts_a_good_value_and_the_second_one_is_refused_on_save(
    org_a, plan_a, measure_a
):
    form = _value_form(org_a, plan_a, measure_a, period="2026-09-20")
    assert form.is_valid()  # the one-value-per-period rule needs the locked row
    with pytest.raises(measures.ValueRefused) as refused:
        measures.record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            period=form.cleaned_data["period"],
            value=form.cleaned_data["value"],
            user=None,
        )
    form.add_refusal(refused.value)
    assert "already has a value" in form.errors["period"][0]


@scopes_disabled()
def test_delete_measure_with_values_is_refused(measure_a):
    with pytest.raises(measures.MeasureInUse, match="archive it instead"):
        measures.delete_measure(measure_a)
    assert Measure.objects.filter(pk=measure_a.pk).exists()


@scopes_disabled()
def test_archive_and_restore_a_measure(measure_a):
    measures.archive_measure(measure_a)
    measure_a.refresh_from_db()
    assert measure_a.archived_at is not None
    measures.archive_measure(measure_a, restore=True)
    measure_a.refresh_from_db()
    assert measure_a.archived_at is None


@scopes_disabled()
def test_save_measure_tells_the_okrs_only_when_the_rollup_changed(org_a, plan_a, measure_a):
    sent = []

    def receiver(sender, measure, **kwargs):
        sent.append(measure.pk)

    measure_a.value_source = ValueSource.CALCULATED
    measure_a.save()
    signals.measure_rollup_changed.connect(receiver, dispatch_uid="test-rollup")
    try:
        for method, expected in [("latest", []), ("sum", [measure_a.pk])]:
            measure = Measure.objects.get(pk=measure_a.pk)
            before = measure.rollup_settings()
            form = MeasureForm(
                _measure_data(measure, rollup_method=method),
                instance=measure,
                plan=plan_a,
                organization=org_a.org,
            )
            assert form.is_valid(), form.errors
            measures.save_measure(form, before)
            assert sent == expected
    finally:
        signals.measure_rollup_changed.disconnect(dispatch_uid="test-rollup")


def _measure_data(measure, **over):
    data = {
        "objective": measure.objective_id,
        "name": measure.name,
        "unit_kind": measure.unit_kind,
        "rate_per": measure.rate_per,
        "decimals": measure.decimals,
        "polarity": measure.polarity,
        "baseline_value": measure.baseline_value,
        "baseline_date": measure.baseline_date,
        "target_value": measure.target_value,
        "tolerance": measure.tolerance,
        "update_frequency": measure.update_frequency,
        "visibility": measure.visibility,
        "value_source": measure.value_source,
        "rollup_method": measure.rollup_method,
        "order": 0,
    }
    data.update(over)
    return data


@scopes_disabled()
def test_delete_objective_with_measures_or_links_is_refused(org_a, plan_a, objective_a):
    other = StrategicObjective.objects.create(
        organization=org_a.org,
        plan=plan_a,
        perspective=plan_a.perspectives.first(),
        title="Trust",
    )
    CausalLink.objects.create(organization=org_a.org, source=other, target=objective_a)
    with pytest.raises(plans.ObjectiveInUse, match="it is linked on the strategy map"):
        plans.delete_objective(other)
    CausalLink.objects.all().delete()
    plans.delete_objective(other)
    assert not StrategicObjective.objects.filter(pk=other.pk).exists()


@scopes_disabled()
def test_delete_perspective_with_objectives_is_refused(plan_a, objective_a):
    with pytest.raises(plans.PartInUse, match="still has objectives"):
        plans.delete_part(objective_a.perspective, "perspective")


@scopes_disabled()
def test_focus_map_is_all_or_nothing(plan_a, objective_a):
    with pytest.raises(plans.FocusRefused):
        plans.save_focus_map(
            plan_a, 2026, [plans.FocusChoice(objective_a, [FocusLevel.HIGH, "", "", "bogus"])]
        )
    assert not FocusEntry.objects.exists()
    plans.save_focus_map(
        plan_a, 2026, [plans.FocusChoice(objective_a, [FocusLevel.HIGH, "", "", ""])]
    )
    assert list(FocusEntry.objects.values_list("quarter", "level")) == [(1, FocusLevel.HIGH)]
    plans.save_focus_map(plan_a, 2026, [plans.FocusChoice(objective_a, ["", "", "", ""])])
    assert not FocusEntry.objects.exists()
