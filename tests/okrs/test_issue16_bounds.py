"""Issue 16's input bounds, checked in the service/model layer (so the forms, imports and
the API meet the same rules), the owner's right to edit a strategic objective, the link
history of the strategy map and the period label of a measure's value."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry, CheckInRefused
from okrs.models import KeyResult
from scorecards import measures
from scorecards.forms import CausalLinkForm, TargetForm, ValueForm
from scorecards.models import StrategicObjective
from strategyhub import fiscal

pytestmark = pytest.mark.usefixtures("clock")
TODAY = dt.date(2026, 11, 22)


def _kr(org_a, okr, **fields):
    defaults = dict(organization=org_a.org, objective=okr, title="A result", kind="metric")
    defaults.update(fields)
    return KeyResult.objects.create(**defaults)


def test_check_in_text_over_the_limit_is_refused(org_a, kr_response):
    with scope(organization=org_a.org):
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr_response.pk)
        for field in checkins.TEXT_FIELDS:
            entry = CheckInEntry(as_of=TODAY, value=D(8), **{field: "x" * 10_000})
            with pytest.raises(CheckInRefused) as refused:
                checkins.validate(kr, entry, today=TODAY)
            assert "2,000 characters" in " ".join(refused.value.message_dict[field])
        checkins.validate(kr, CheckInEntry(as_of=TODAY, value=D(8), moved="x" * 2000), today=TODAY)


def test_measure_value_note_over_the_limit_is_refused(org_a, plan_a, measure_a):
    with scope(organization=org_a.org), pytest.raises(measures.ValueRefused) as refused:
        measures.record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            period=dt.date(2026, 10, 1),
            value=D(460),
            note="x" * 10_000,
            user=None,
        )
    assert "note" in refused.value.message_dict


def test_a_milestone_due_outside_its_quarter_is_refused(org_a, okr):
    with scope(organization=org_a.org):
        kr = KeyResult(
            organization=org_a.org,
            objective=okr,
            title="Launch",
            kind="milestone",
            due_date=dt.date(2027, 2, 1),
        )
        with pytest.raises(ValidationError) as refused:
            kr.full_clean()
        message = " ".join(refused.value.message_dict["due_date"])
        assert "Q2 FY 2026–27" in message and "October 1, 2026 to December 31, 2026" in message
        kr.due_date = dt.date(2026, 12, 15)
        kr.full_clean()


def test_feeding_an_entered_measure_is_refused(org_a, okr, measure_a, response_measure):
    """Decision: refused (a feed of an entered measure never rolls up)."""
    with scope(organization=org_a.org):
        kr = KeyResult(
            organization=org_a.org,
            objective=okr,
            title="Fewer incidents",
            kind="metric",
            unit_kind="rate",
            start_value=D(10),
            target_value=D(8),
            measure=measure_a,
        )
        with pytest.raises(ValidationError) as refused:
            kr.full_clean()
        assert "never roll up" in " ".join(refused.value.message_dict["measure"])
        kr.unit_kind, kr.measure = "minutes", response_measure  # calculated: accepted
        kr.full_clean()


def test_a_percent_check_in_outside_0_to_100_is_refused(org_a, okr):
    with scope(organization=org_a.org):
        kr = _kr(org_a, okr, unit_kind="percent", start_value=D(40), target_value=D(60))
        kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
        for bad in (D(-5), D(101)):
            with pytest.raises(CheckInRefused) as refused:
                checkins.validate(kr, CheckInEntry(as_of=TODAY, value=bad), today=TODAY)
            assert "0% to 100%" in " ".join(refused.value.message_dict["value"])
        checkins.validate(kr, CheckInEntry(as_of=TODAY, value=D(100)), today=TODAY)
        number = _kr(org_a, okr, unit_kind="number", start_value=D(1), target_value=D(2))
        number = KeyResult.objects.select_related("objective__cycle").get(pk=number.pk)
        checkins.validate(number, CheckInEntry(as_of=TODAY, value=D(-5)), today=TODAY)


def test_a_percent_measure_refuses_values_and_floors_outside_0_to_100(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        measure_a.unit_kind = "percent"
        measure_a.polarity = "higher"
        measure_a.save()
        with pytest.raises(measures.ValueRefused) as refused:
            measures.check_value(
                measure_a,
                plan=plan_a,
                organization=org_a.org,
                period=dt.date(2026, 10, 1),
                value=D(150),
            )
        assert "value" in refused.value.message_dict
        with pytest.raises(measures.ValueRefused) as refused:
            measures.check_target(measure_a, D(150))
        assert "floor" in refused.value.message_dict
        measures.check_target(measure_a, D(80), D(95))
        form = TargetForm({"floor": "150"}, measure=measure_a)
        assert not form.is_valid() and "floor" in form.errors
        form = ValueForm(
            {"period": "2026-10-01", "value": "-5"},
            measure=measure_a,
            plan=plan_a,
            organization=org_a.org,
        )
        assert not form.is_valid() and "value" in form.errors


def test_link_history_lists_added_and_removed_links(client, org_a, plan_a, objective_a):
    with scope(organization=org_a.org):
        other = StrategicObjective.objects.create(
            organization=org_a.org,
            plan=plan_a,
            perspective=plan_a.perspectives.last(),
            title="Trusted police",
        )
        form = CausalLinkForm(
            {"source": other.pk, "target": objective_a.pk},
            plan=plan_a,
            organization=org_a.org,
        )
        assert form.is_valid(), form.errors
    client.force_login(org_a.editor)
    from scorecards import plans

    with scope(organization=org_a.org):
        link = plans.add_link(form)
        plans.delete_link(link)
    page = client.get(reverse("scorecards:strategy_map", args=["alpha", plan_a.pk]))
    html = page.content.decode()
    history = html.split("History of links", 1)[1]
    assert "No recorded changes" not in history.split("</table>")[0]
    assert "Added: Trusted police" in history and "Removed: Trusted police" in history


def test_a_contributor_edits_the_objective_they_own(client, org_a, plan_a, objective_a):
    url = reverse("scorecards:objective_edit", args=["alpha", plan_a.pk, objective_a.pk])
    client.force_login(org_a.contributor)
    assert client.get(url).status_code == 403  # owned by the editor
    with scopes_disabled():
        StrategicObjective.objects.filter(pk=objective_a.pk).update(owner=org_a.contributor)
    assert client.get(url).status_code == 200
    client.force_login(org_a.viewer)
    with scopes_disabled():
        StrategicObjective.objects.filter(pk=objective_a.pk).update(owner=org_a.viewer)
    assert client.get(url).status_code == 403
    client.force_login(org_a.editor)
    assert client.get(url).status_code == 200


def test_an_owner_contributor_keeps_the_objective_where_the_plan_put_it(
    client, org_a, plan_a, objective_a
):
    """Title and description are the owner's; perspective and owner an editor's."""
    with scopes_disabled():
        StrategicObjective.objects.filter(pk=objective_a.pk).update(owner=org_a.contributor)
        other = plan_a.perspectives.exclude(pk=objective_a.perspective_id).first()
    url = reverse("scorecards:objective_edit", args=["alpha", plan_a.pk, objective_a.pk])
    client.force_login(org_a.contributor)
    data = {
        "title": "Reduce violent crime in Wards 5, 7 and 8",
        "description": "Owner's wording.",
        "perspective": other.pk,
        "owner": org_a.editor.pk,
        "order": 9,
    }
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        objective_a.refresh_from_db()
    assert objective_a.title == "Reduce violent crime in Wards 5, 7 and 8"
    assert objective_a.perspective_id != other.pk
    assert objective_a.owner == org_a.contributor


def test_period_labels_follow_the_frequency():
    day = dt.date(2026, 12, 1)
    assert fiscal.period_label(day, fiscal.Frequency.QUARTERLY, 7) == "Q2 FY 2026–27"
    assert fiscal.period_label(day, fiscal.Frequency.ANNUAL, 7) == "FY 2026–27"
    assert fiscal.period_label(day, fiscal.Frequency.MONTHLY, 7) == "December 2026"


def test_a_quarterly_value_is_labelled_by_its_quarter(client, org_a, plan_a, measure_a):
    with scopes_disabled():
        measure_a.update_frequency = "quarterly"
        measure_a.save()
        measure_a.values.update(period=dt.date(2026, 10, 1))
    client.force_login(org_a.editor)
    html = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content
    text = html.decode()
    assert "Q2 FY 2026–27" in text
    assert "October 2026" not in text
