"""Issue 17: the check-in answer and My check-ins read less — the answer's card is drawn from
what the save loaded (its objective's live results as re-scored, the result's new current
value and score) plus one read of its check-ins, the check-in form is drawn in Python, My
check-ins reads a measure's latest value from its stored state — and show exactly what a
fresh read shows."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.forms.boundfield import BoundField
from django.forms.utils import RenderableMixin
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from okrs.forms import CheckInForm
from okrs.models import CheckIn, KeyResult
from scorecards.models import MeasureState, MeasureValue
from strategyhub import idempotency

from .conftest import PLANNED

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def _post(client, kr, **data):
    prefix = f"kr{kr.pk}-"
    payload = {prefix + k: v for k, v in data.items()}
    return client.post(
        reverse("okrs:checkin", args=["alpha", kr.pk]), payload, headers={"HX-Request": "true"}
    )


def _card(body: str, pk: int) -> str:
    """Key result ``pk``'s card (its ``<article>``) in a page or an answer, with the form's
    per-response tokens blanked and without the answer's "Saved" alert."""
    found = re.search(rf'<article class="sh-kr-card" id="kr-{pk}".*?</article>', body, re.S)
    assert found, f"no card for {pk}"
    card = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1X", found.group(0))
    card = re.sub(r'(idempotency_key" value=")[^"]+', r"\1X", card)
    return re.sub(r'<div class="usa-alert usa-alert--success[^\n]*</div>', "", card)


def _kinds(org_a, okr):
    """One key result of each kind (a metric, a hold-the-line, a milestone, a qualitative)."""
    common = {"organization": org_a.org, "objective": okr, "owner": org_a.contributor}
    return [
        KeyResult.objects.create(
            **common, title="Metric", kind="metric", start_value=D(0), target_value=D(10)
        ),
        KeyResult.objects.create(
            **common, title="Hold", kind="hold", target_value=D(5), hold_direction="at_least"
        ),
        KeyResult.objects.create(
            **common, title="Milestone", kind="milestone", due_date=dt.date(2026, 12, 15)
        ),
        KeyResult.objects.create(**common, title="Qualitative", kind="qualitative"),
    ]


def _assert_drawn_as_the_templates(form: CheckInForm) -> None:
    """Each field as ``forms/field.html`` draws it, the form as ``forms/form.html`` does."""
    for bound in form.visible_fields():
        assert bound.as_field_group() == BoundField.render(bound), bound.name
    assert str(form) == RenderableMixin.render(form)
    assert form.__html__() == str(form)


def test_the_check_in_form_is_drawn_as_the_shared_templates_draw_it(org_a, okr):
    """Every kind's form, blank and re-shown with errors (a field's own, the entry rules',
    the form-wide one of an archived result): the same markup as the templates, so the
    error wiring (``aria-invalid``, ``aria-describedby``, ``role="alert"``) stays."""
    with scope(organization=org_a.org):
        for kr in _kinds(org_a, okr):
            _assert_drawn_as_the_templates(CheckInForm(key_result=kr, today=TODAY))
            p = f"kr{kr.pk}-"
            bound = CheckInForm(
                {p + "as_of": "2026-12-30", p + "value": "abc", p + "confidence": "11"},
                key_result=kr,
                today=TODAY,
            )
            assert not bound.is_valid()
            _assert_drawn_as_the_templates(bound)
            missing = CheckInForm({p + "as_of": ""}, key_result=kr, today=TODAY)
            assert not missing.is_valid()
            _assert_drawn_as_the_templates(missing)
        kr.archived_at = timezone.now()
        archived = CheckInForm(
            {p + "as_of": "2026-11-20", p + "rubric_score": "0.5", p + "evidence": "<b>x</b>"},
            key_result=kr,
            today=TODAY,
        )
        assert not archived.is_valid()
        assert archived.non_field_errors()
        _assert_drawn_as_the_templates(archived)
        assert "usa-alert--error" in str(archived)


def test_the_answer_shows_the_card_a_fresh_read_shows(
    client, org_a, okr, kr_response, kr_patrols, cold_pages
):
    """The answer's card (drawn from what the save loaded) is the card My check-ins draws
    right after, from its own reads: score, status, forecast, the objective's score, the
    measure's new value and period, the last check-in, the blank form."""
    with scopes_disabled():
        CheckIn.objects.create(
            organization=org_a.org, key_result=kr_response, as_of=dt.date(2026, 11, 6), value=D(9)
        )
    client.force_login(org_a.contributor)
    answer = _post(
        client,
        kr_response,
        as_of="2026-11-20",
        value="8.6",
        **{idempotency.FIELD: idempotency.new_key()},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Saved. Score now" in body
    page = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    assert _card(body, kr_response.pk) == _card(page, kr_response.pk)
    assert "Average response time: 8.6 min" in _card(page, kr_response.pk)
    # The sibling's objective score, out of band, is the one its own card shows.
    oob = re.search(
        rf'<span id="objective-score-{kr_patrols.pk}" hx-swap-oob="true">(.*?)</span>\n', body
    )
    assert oob
    assert oob.group(1) in _card(page, kr_patrols.pk)


def test_a_replayed_submit_answers_with_the_same_card(client, org_a, okr, kr_response):
    """A resent submit (same idempotency key) saves nothing and answers with the card as a
    fresh read draws it (its live results read again: the save's are not at hand)."""
    client.force_login(org_a.contributor)
    key = idempotency.new_key()
    first = _post(client, kr_response, as_of="2026-11-20", value="8.6", **{idempotency.FIELD: key})
    again = _post(client, kr_response, as_of="2026-11-20", value="8.6", **{idempotency.FIELD: key})
    assert again.status_code == 200
    with scopes_disabled():
        assert CheckIn.objects.filter(key_result=kr_response).count() == 1
    assert _card(first.content.decode(), kr_response.pk) == _card(
        again.content.decode(), kr_response.pk
    )


def test_a_refused_check_in_answers_400_with_the_form_and_its_errors(
    client, org_a, okr, kr_response
):
    client.force_login(org_a.contributor)
    answer = _post(client, kr_response, as_of="2026-12-30", value="8.6")
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert '<details class="sh-kr-card__form" open>' in body
    with scopes_disabled():
        assert not CheckIn.objects.filter(key_result=kr_response).exists()


def test_a_check_in_on_a_result_feeding_a_calculated_measure_keeps_to_its_queries(
    client, org_a, okr, kr_response, kr_patrols, django_assert_max_num_queries
):
    """Issue 17's budget: the check-in POST (as the benchmark sends it) with its roll-up, the
    measure's stored state and the answer's card: the measure locked and read once, the
    card's results and check-ins not read again after the save (22 before).
    An idempotency key adds its own row's writes (and a savepoint)."""
    client.force_login(org_a.contributor)
    _post(client, kr_patrols, as_of="2026-11-19", value="110")  # warm the session's reads
    with django_assert_max_num_queries(19):
        answer = _post(client, kr_response, as_of="2026-11-20", value="8.6")
    assert answer.status_code == 200
    with django_assert_max_num_queries(25):
        keyed = _post(
            client,
            kr_response,
            as_of="2026-11-21",
            value="8.5",
            **{idempotency.FIELD: idempotency.new_key()},
        )
    assert keyed.status_code == 200
    with scopes_disabled():
        stored = MeasureValue.objects.get(measure=kr_response.measure, period=dt.date(2026, 11, 1))
        assert stored.value == D("8.5")
        assert MeasureState.objects.get(measure=kr_response.measure).latest_value == D("8.5")


def test_my_checkins_shows_the_latest_measure_value_from_the_stored_state(
    client, org_a, okr, kr_response, django_assert_max_num_queries, cold_pages
):
    """The measure's latest value and period come from its stored state (no value read); a
    measure without a stored state (a row written outside the services) is read instead."""
    with scopes_disabled():
        measure = kr_response.measure
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure, period=dt.date(2026, 10, 1), value=D("8.9")
        )
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure, period=dt.date(2026, 11, 1), value=D("8.7")
        )
        assert MeasureState.objects.get(measure=measure).latest_value == D("8.7")
        for i in range(5):
            KeyResult.objects.create(
                organization=org_a.org,
                objective=okr,
                title=f"Result {i}",
                owner=org_a.contributor,
                kind="metric",
                start_value=D(0),
                target_value=D(10),
                measure=measure,
                created_at=PLANNED,
            )
    client.force_login(org_a.contributor)
    url = reverse("okrs:my_checkins", args=["alpha"])
    client.get(url)  # warm the session's reads
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("Average response time: 8.7 min (November 2026)") == 6
    with scopes_disabled():
        MeasureState.objects.filter(measure=measure).delete()
    assert client.get(url).content.decode().count("Average response time: 8.7 min") == 6


def test_a_backdated_check_in_answers_with_the_card_a_fresh_read_shows(
    client, org_a, okr, kr_response, cold_pages
):
    """A check-in dated in an earlier month recomputes that month and the later ones; the
    answer's card (its check-ins from the roll-up's reads) is still the fresh read's."""
    with scopes_disabled():
        CheckIn.objects.create(
            organization=org_a.org, key_result=kr_response, as_of=dt.date(2026, 11, 6), value=D(9)
        )
    client.force_login(org_a.contributor)
    answer = _post(client, kr_response, as_of="2026-10-09", value="8.4")
    assert answer.status_code == 200
    page = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    assert _card(answer.content.decode(), kr_response.pk) == _card(page, kr_response.pk)
    assert 'Last check-in</dt><dd class="sh-nowrap">November 6' in _card(page, kr_response.pk)


def test_the_roll_up_stores_a_missing_state_from_the_row_it_locked(org_a, okr, kr_response):
    """The check-in's roll-up refreshes its measure's state from the measure row it locked
    (``state.locked``): a measure without a stored state gets one, and a full refresh then
    has nothing to change."""
    from okrs import checkins
    from okrs.checkins import CheckInEntry
    from scorecards import state

    with scope(organization=org_a.org):
        MeasureState.objects.filter(measure=kr_response.measure).delete()
        checkins.record(kr_response, org_a.contributor, CheckInEntry(as_of=TODAY, value=D("8.8")))
        assert MeasureState.objects.get(measure=kr_response.measure).latest_value == D("8.8")
    with scopes_disabled():
        assert state.refresh_all() == 0
