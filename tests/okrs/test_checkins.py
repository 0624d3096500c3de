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


def test_a_check_in_updates_the_key_result_and_the_measure(org_a, kr_response):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("8.9")),
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 6), value=D("8.6")),
        )
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert (kr.current_value, kr.score) == (D("8.6"), D("0.5"))
        values = dict(MeasureValue.objects.values_list("period", "value"))
        assert values == {dt.date(2026, 10, 1): D("8.9"), dt.date(2026, 11, 1): D("8.6")}
        assert MeasureValue.objects.get(period=dt.date(2026, 11, 1)).source == "key_results"


def test_editing_an_older_check_in_keeps_the_current_value_and_history(org_a, kr_response):
    with scope(organization=org_a.org):
        old = checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 2), value=D("9.0")),
        ).checkin
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("8.8")),
        )
        checkins.record(
            kr_response,
            org_a.editor,
            CheckInEntry(as_of=dt.date(2026, 10, 2), value=D("8.5")),
            checkin=old,
        )
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert kr.current_value == D("8.8")  # the older week's edit does not change it
        history = CheckIn.objects.get(pk=old.pk).history.order_by("history_date")
        assert [h.value for h in history] == [D("9.0"), D("8.5")]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"as_of": dt.date(2026, 9, 30), "value": D(9)}, "as_of", "Choose a date in Q2 FY 2026–27"),
        ({"as_of": dt.date(2026, 11, 30), "value": D(9)}, "as_of", "choose today or earlier"),
        ({"as_of": dt.date(2026, 11, 2)}, "value", "Enter the current value"),
    ],
)
def test_bad_check_ins_are_refused_and_change_nothing(org_a, kr_response, kwargs, field, message):
    with scope(organization=org_a.org):
        with pytest.raises(CheckInRefused) as error:
            checkins.record(kr_response, org_a.contributor, CheckInEntry(**kwargs))
        assert message in " ".join(error.value.message_dict[field])
        assert not CheckIn.objects.exists() and not MeasureValue.objects.exists()


def test_closed_cycle_refuses_check_ins(org_a, kr_response, quarter):
    quarter.status = "closed"
    quarter.save()
    with scope(organization=org_a.org), pytest.raises(CheckInRefused, match="closed"):
        checkins.record(
            kr_response, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 2), value=D(9))
        )


def test_qualitative_needs_evidence(org_a, okr):
    with scope(organization=org_a.org):
        kr = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Residents feel heard",
            kind="qualitative",
        )
        with pytest.raises(CheckInRefused) as error:
            checkins.record(
                kr, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 2), rubric_score=D("0.6"))
            )
        assert "evidence" in error.value.message_dict
        checkins.record(
            kr,
            org_a.editor,
            CheckInEntry(
                as_of=dt.date(2026, 11, 2),
                evidence="Ward 5 meeting: residents named officers by name.",
                rubric_score=D("0.6"),
            ),
        )
        assert KeyResult.objects.get(pk=kr.pk).score == D("0.6")


def test_a_new_check_in_dated_before_the_current_one_does_not_replace_it(org_a, kr_response):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 16), value=D("8.6")),
        )
        late_entry = checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 2), value=D("9.1")),
        ).checkin
        kr = KeyResult.objects.get(pk=kr_response.pk)
        assert (kr.current_value, kr.current_as_of) == (D("8.6"), dt.date(2026, 11, 16))
        assert (kr_response.current_value, kr_response.score) == (D("8.6"), kr.score)
        # Same day: the one saved last is current.
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 16), value=D("8.4")),
        )
        assert KeyResult.objects.get(pk=kr_response.pk).current_value == D("8.4")
        # Editing the late entry to a later date makes it current.
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("9.1")),
            checkin=late_entry,
        )
        assert KeyResult.objects.get(pk=kr_response.pk).current_value == D("9.1")


@pytest.mark.parametrize(
    ("field", "given", "message"),
    [
        ("rubric_score", D("1.5"), "Give a score from 0 to 1."),
        ("rubric_score", D("-0.1"), "Give a score from 0 to 1."),
        ("confidence", 11, "Give a confidence from 0 to 10."),
        ("confidence", -1, "Give a confidence from 0 to 10."),
    ],
)
def test_record_refuses_a_score_or_confidence_out_of_range_as_the_form_does(
    org_a, okr, field, given, message
):
    """The ranges are ``checkins.validate``'s, so ``record`` (the API's way in) refuses
    what the form refuses, with the same message on the same field."""
    with scope(organization=org_a.org):
        kr = KeyResult.objects.create(
            organization=org_a.org, objective=okr, title="Residents feel heard", kind="qualitative"
        )
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
        entry = {"rubric_score": D("0.6"), "confidence": 7, field: given}
        evidence = "Ward 5 meeting: residents named officers by name."
        with pytest.raises(CheckInRefused) as refused:
            checkins.record(
                kr,
                org_a.editor,
                CheckInEntry(as_of=dt.date(2026, 11, 2), evidence=evidence, **entry),
            )
        assert refused.value.message_dict[field] == [message]
        form = _form(
            kr, as_of="2026-11-02", evidence=evidence, **{k: str(v) for k, v in entry.items()}
        )
        assert not form.is_valid()
        assert form.errors[field] == [message]
        assert not CheckIn.objects.exists()


def test_the_form_leaves_the_required_fields_to_validate(org_a, kr_response):
    """A missing value gets ``validate``'s message, not the form field's own."""
    with scope(organization=org_a.org):
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr_response.pk)
        form = _form(kr, as_of="2026-11-20", value="")
        assert not form.is_valid()
        assert form.errors["value"] == ["Enter the current value."]
