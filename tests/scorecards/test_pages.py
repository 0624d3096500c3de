"""Scorecard pages: access rules, value entry (good and bad input), bounded queries."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from guardian.shortcuts import assign_perm

from scorecards import state
from scorecards.models import Measure, MeasureValue, StrategicObjective, ValueSource
from scorecards.queries import OBJECTIVES_PER_PERSPECTIVE_PAGE
from scorecards.summary import OBJECTIVES_SHOWN
from strategyhub.permissions import UNIT_EDIT_PERMISSION

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _pages(organization, measure):
    slug = organization.org.slug
    return [
        reverse("scorecards:plan", args=[slug]),
        reverse("scorecards:perspective", args=[slug, measure.objective.perspective_id]),
        reverse("scorecards:objective", args=[slug, measure.objective_id]),
        reverse("scorecards:measure", args=[slug, measure.pk]),
    ]


def test_anonymous_is_sent_to_login(client, org_a, measure_a):
    for url in _pages(org_a, measure_a):
        assert client.get(url).status_code == 302


def test_other_agency_gets_404_for_every_page_and_id(client, org_a, org_b, measure_a):
    client.force_login(org_b.admin)
    for url in _pages(org_a, measure_a):
        assert client.get(url).status_code == 404
    # Agency B's own slug with agency A's ids.
    for url in _pages(org_a, measure_a)[1:]:
        assert client.get(url.replace("/o/alpha/", "/o/beta/")).status_code == 404
    post = client.post(
        reverse("scorecards:measure_value", args=["beta", measure_a.pk]),
        {"period": "2026-10-01", "value": "1"},
    )
    assert post.status_code == 404


def test_viewer_reads_but_cannot_enter(client, org_a, measure_a):
    client.force_login(org_a.viewer)
    for url in _pages(org_a, measure_a):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Violent crime rate" in response.content, url
    page = client.get(_pages(org_a, measure_a)[-1])
    assert b"Save value" not in page.content
    response = client.post(
        reverse("scorecards:measure_value", args=["alpha", measure_a.pk]),
        {"period": "2026-10-01", "value": "460"},
    )
    assert response.status_code == 403
    with scope(organization=org_a.org):
        assert not MeasureValue.objects.filter(period=dt.date(2026, 10, 1)).exists()


@pytest.mark.parametrize("who", ["contributor", "editor", "admin"])
def test_owner_and_editors_enter_values(client, org_a, measure_a, who):
    client.force_login(org_a.user(who))
    response = client.post(
        reverse("scorecards:measure_value", args=["alpha", measure_a.pk]),
        {"period": "2026-10-15", "value": "455", "note": "Summer surge over"},
    )
    assert response.status_code == 200
    with scope(organization=org_a.org):
        value = MeasureValue.objects.get(measure=measure_a, period=dt.date(2026, 10, 1))
    assert (value.value, value.note, value.entered_by) == (
        D(455),
        "Summer surge over",
        org_a.user(who),
    )


def test_contributor_who_does_not_own_it_cannot_enter_unless_granted(client, org_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=org_a.editor)
    client.force_login(org_a.contributor)
    url = reverse("scorecards:measure_value", args=["alpha", measure_a.pk])
    assert client.post(url, {"period": "2026-10-01", "value": "460"}).status_code == 403
    assign_perm(UNIT_EDIT_PERMISSION, org_a.contributor, org_a.unit)  # parent of the team
    assert client.post(url, {"period": "2026-10-01", "value": "460"}).status_code == 200


def test_htmx_entry_returns_the_live_fragment_with_new_status(client, org_a, measure_a):
    client.force_login(org_a.contributor)
    response = client.post(
        reverse("scorecards:measure_value", args=["alpha", measure_a.pk]),
        {"period": "2026-10-01", "value": "500"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="measure-live">')
    assert "<html" not in body
    assert "Status now: Off track" in body
    assert "sh-sparkline" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "2026-10-01", "value": "lots"}, "value", "Enter a number"),
        ({"period": "2026-10-01", "value": ""}, "value", "This field is required"),
        ({"period": "2024-01-01", "value": "400"}, "period", "Choose a period between"),
        ({"period": "2031-09-01", "value": "400"}, "period", "Choose a period between"),
        ({"period": "2026-12-01", "value": "400"}, "period", "has not started yet"),
        ({"period": "2026-09-20", "value": "400"}, "period", "already has a value"),
        ({"period": "someday", "value": "400"}, "period", "Enter a valid date"),
    ],
)
def test_bad_values_get_a_message_next_to_the_field_and_change_nothing(
    client, org_a, measure_a, data, field, message
):
    client.force_login(org_a.contributor)
    response = client.post(reverse("scorecards:measure_value", args=["alpha", measure_a.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert message in body
    with scope(organization=org_a.org):
        assert list(MeasureValue.objects.values_list("period", "value")) == [
            (dt.date(2026, 9, 1), D(470))
        ]


def test_correction_keeps_the_old_value_in_history(client, org_a, measure_a):
    client.force_login(org_a.contributor)
    response = client.post(
        reverse("scorecards:measure_value", args=["alpha", measure_a.pk]),
        {"period": "2026-09-01", "value": "468", "note": "Late reports", "correction": "True"},
    )
    assert response.status_code == 200
    with scope(organization=org_a.org):
        value = MeasureValue.objects.get(measure=measure_a, period=dt.date(2026, 9, 1))
        assert value.value == 468
        assert [h.value for h in value.history.order_by("history_date")] == [D(470), D(468)]
        assert value.history.first().history_user == org_a.contributor


def test_calculated_measure_cannot_be_typed_into(client, org_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(value_source=ValueSource.CALCULATED)
    client.force_login(org_a.editor)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk]))
    assert b"calculated from its key results" in page.content
    assert b"Save value" not in page.content
    response = client.post(
        reverse("scorecards:measure_value", args=["alpha", measure_a.pk]),
        {"period": "2026-10-01", "value": "400"},
    )
    assert response.status_code == 400
    assert b"cannot be typed in" in response.content


def test_measure_page_shows_chart_and_table_of_the_same_data(client, org_a, measure_a):
    client.force_login(org_a.viewer)
    body = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content.decode()
    assert '<svg class="sh-chart sh-chart--wide"' in body and '<title id="chart-title">' in body
    assert "September 2026: 470 per 100,000" in body  # point tooltip in the SVG
    assert '<th scope="row">September 2026</th>' in body  # the same value in the table


def test_plan_overview_shows_statuses_in_words(client, org_a, measure_a):
    client.force_login(org_a.viewer)
    body = client.get(reverse("scorecards:plan", args=["alpha"])).content.decode()
    # 470 in September against the straight path at 30 Sep (≈479): on track.
    assert "On track" in body and "sh-status--on_track" in body
    assert "Reduce violent crime" in body


def test_plan_page_without_an_active_plan(client, org_b):
    client.force_login(org_b.viewer)
    response = client.get(reverse("scorecards:plan", args=["beta"]))
    assert response.status_code == 200
    assert b"no active strategic plan" in response.content


@pytest.mark.parametrize("page", ["plan", "perspective"])
def test_overview_queries_stay_bounded_with_200_objectives_and_1000_measures(
    client, org_a, plan_a, page, django_assert_max_num_queries, cold_pages
):
    with scopes_disabled():
        perspective = plan_a.perspectives.first()
        objectives = StrategicObjective.objects.bulk_create(
            StrategicObjective(
                organization=org_a.org,
                plan=plan_a,
                perspective=perspective,
                title=f"Objective {i}",
                owner=org_a.editor if i % 2 else None,
            )
            for i in range(200)
        )
        measures = Measure.objects.bulk_create(
            Measure(
                organization=org_a.org,
                objective=objectives[i % 200],
                name=f"Measure {i}",
                polarity="higher",
                baseline_value=D(10),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(20),
                owner=org_a.contributor if i % 3 else None,
            )
            for i in range(1000)
        )
        MeasureValue.objects.bulk_create(
            MeasureValue(
                organization=org_a.org,
                measure=m,
                period=dt.date(2026, month, 1),
                value=D(10 + month),
            )
            for m in measures[:300]
            for month in (8, 9, 10)
        )
    # Bulk inserts send no signals: their stored states, as the generator does.
    state.refresh_all()
    client.force_login(org_a.viewer)
    url = (
        reverse("scorecards:plan", args=["alpha"])
        if page == "plan"
        else reverse("scorecards:perspective", args=["alpha", perspective.pk])
    )
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if page == "perspective":
        # OBJECTIVES_PER_PERSPECTIVE_PAGE objectives with their measures (5 each here, one or
        # two with values), the counts of all 1,000, and the other pages linked.
        shown = OBJECTIVES_PER_PERSPECTIVE_PAGE
        assert shown <= body.count("sh-sparkline") <= 2 * shown  # one or two with values each
        assert f"200 objectives; 1–{OBJECTIVES_PER_PERSPECTIVE_PAGE} with their measures" in body
        last = -(
            -200 // OBJECTIVES_PER_PERSPECTIVE_PAGE
        )  # the last page linked, the middle left out
        assert f'aria-label="Page {last}"' in body and "usa-pagination__overflow" in body
        summary = body[body.index("sh-status-summary") :].split("</ul>")[0]
        assert sum(int(n) for n in re.findall(r"<strong>(\d+)</strong>", summary)) == 1000
    else:
        # Too many measures for one grid: the worst objectives of each perspective with
        # their measures' statuses (scorecards.summary), and a link to all of them.
        assert "1000 measures" in body and "sh-sparkline" not in body
        listed = '<th scope="row"><a class="usa-link" href="/o/alpha/plan/objectives/'
        assert body.count(listed) == OBJECTIVES_SHOWN
        assert f"{200 - OBJECTIVES_SHOWN} more objectives here" in body
        assert "All 200 objectives and their measures" in body
        # Objective 0 has measures 0, 200, 400, 600, 800; the first two have values.
        row = body[body.index(">Objective 0<") :].split("</tr>")[0]
        assert "2 on track, 3 no data" in row
