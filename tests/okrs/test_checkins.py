"""The check-in capability (okrs/checkins.py): one set of rules for the form and for every
caller of ``record``, and what a recorded check-in hands back."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django_scopes import scope, scopes_disabled

from okrs import checkins, rollup
from okrs.checkins import CheckInEntry, CheckInRefused
from okrs.forms import CheckInForm
from okrs.models import CheckIn, KeyResult
from scorecards.measures import value_window
from scorecards.models import MeasureValue

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def _form(kr, **data):
    prefixed = {f"kr{kr.pk}-{name}": value for name, value in data.items()}
    return CheckInForm(prefixed, key_result=kr, today=TODAY)


def test_the_form_applies_the_same_rules_as_record(org_a, kr_response, quarter):
    """A date outside the cycle, in the future or in a closed cycle is refused by the form
    itself (``checkins.validate``), with the message ``record`` would give."""
    with scope(organization=org_a.org):
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr_response.pk)
        for day, message in [
            ("2026-09-30", "Choose a date in Q2 FY 2026–27"),
            ("2026-11-30", "choose today or earlier"),
        ]:
            form = _form(kr, as_of=day, value="8.5")
            assert not form.is_valid()
            assert message in " ".join(form.errors["as_of"])
            with pytest.raises(CheckInRefused) as refused:
                entry = CheckInEntry(as_of=dt.date.fromisoformat(day), value=D(8))
                checkins.validate(kr, entry, today=TODAY)
            assert message in " ".join(refused.value.message_dict["as_of"])
        kr.objective.cycle.status = "closed"
        form = _form(kr, as_of="2026-11-20", value="8.5")
        assert not form.is_valid()
        assert "is closed" in " ".join(form.errors["as_of"])
        assert not CheckIn.objects.exists()


def test_a_field_in_error_keeps_its_one_message(org_a, kr_response):
    with scope(organization=org_a.org):
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr_response.pk)
        form = _form(kr, as_of="2026-11-20", value="")
        assert not form.is_valid()
        assert len(form.errors["value"]) == 1
        form = _form(kr, as_of="2026-11-20", value="8.5", moved="Faster dispatch.")
        assert form.is_valid()
        assert form.entry() == CheckInEntry(
            as_of=dt.date(2026, 11, 20), value=D("8.5"), moved="Faster dispatch."
        )


def test_record_hands_back_the_check_in_and_the_value_stored_for_its_period(
    org_a, kr_response, kr_patrols
):
    with scope(organization=org_a.org):
        outcome = checkins.record(
            kr_response, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 6), value=D(9))
        )
        assert outcome.checkin.pk == CheckIn.objects.get(key_result=kr_response).pk
        assert outcome.measure_value == MeasureValue.objects.get(period=dt.date(2026, 11, 1))
        assert outcome.measure_value.value == D(9)
        unfed = checkins.record(
            kr_patrols, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 6), value=D(110))
        )
        assert unfed.measure_value is None


def test_one_period_computation_window_check_ins_and_note(
    org_a, okr, kr_response, response_measure
):
    """``rollup.compute_period`` decides a period for both paths: no value outside the
    plan's window or before the period started, none without a check-in of a result of an
    overlapping cycle during it, else the value and its note."""
    with scopes_disabled():
        checkins.record(
            kr_response, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 10, 20), value=D(9))
        )
        measure = response_measure
        window = value_window(measure.objective.plan, org_a.org.fiscal_year_start_month)
        krs = list(rollup._with_cycle_bounds(rollup.feeding_key_results(measure=measure)))
        readings = rollup._readings(CheckIn.objects.all())

        def compute(period, today=TODAY, window=window):
            return rollup.compute_period(measure, period, krs, readings, window=window, today=today)

        october = compute(dt.date(2026, 10, 1))
        assert (october.value, october.note) == (D(9), "Calculated from 1 key result(s).")
        assert compute(dt.date(2026, 11, 1)) is None  # October's reading carries, no check-in
        assert compute(dt.date(2026, 10, 1), today=dt.date(2026, 9, 30)) is None  # not started
        later_plan = (dt.date(2026, 11, 1), window[1])
        assert compute(dt.date(2026, 10, 1), window=later_plan) is None  # outside the plan
