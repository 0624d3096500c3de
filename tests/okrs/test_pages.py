"""My check-ins and the cycle overview: access, inline check-ins, bounded queries."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import CheckIn, KeyResult, OkrObjective
from okrs.queries import TREE_ROWS_PER_PAGE
from scorecards.models import MeasureValue

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _post(client, kr, **data):
    prefix = f"kr{kr.pk}-"
    payload = {prefix + k: v for k, v in data.items()}
    return client.post(
        reverse("okrs:checkin", args=["alpha", kr.pk]), payload, headers={"HX-Request": "true"}
    )


def _objective_score(body: str, pk: int, oob: bool = False) -> str | None:
    """The objective score shown on key result ``pk``'s card (its score bar's value), in the
    out-of-band copy of an htmx answer when ``oob``."""
    attrs = ' hx-swap-oob="true"' if oob else ""
    found = re.search(
        rf'<span id="objective-score-{pk}"{attrs}>.*?class="sh-progress__text">([^ <]+)', body
    )
    return found.group(1) if found else None


def test_pages_need_login_and_membership(client, org_a, org_b, kr_response):
    urls = [reverse("okrs:my_checkins", args=["alpha"]), reverse("okrs:cycle", args=["alpha"])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(org_b.admin)
    for url in urls:
        assert client.get(url).status_code == 404
    # Agency B's slug with agency A's key result: not found.
    response = client.post(reverse("okrs:checkin", args=["beta", kr_response.pk]), {})
    assert response.status_code == 404


def test_my_checkins_lists_only_my_key_results(client, org_a, kr_response, kr_patrols):
    with scopes_disabled():
        KeyResult.objects.filter(pk=kr_patrols.pk).update(owner=org_a.editor)
    client.force_login(org_a.contributor)
    body = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    assert kr_response.title in body and kr_patrols.title not in body


def test_owner_checks_in_inline_and_sees_score_objective_and_measure(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    response = _post(
        client, kr_response, as_of="2026-11-20", value="8.6", confidence="7", moved="New beats"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<article class="sh-kr-card" id="kr-{kr_response.pk}"')
    assert "Score now 0.50" in body
    assert "objective score 0.50" in body
    assert "Average response time now 8.6 min" in body
    with scope(organization=org_a.org):
        checkin = CheckIn.objects.get()
        assert (checkin.value, checkin.confidence, checkin.author) == (
            D("8.6"),
            7,
            org_a.contributor,
        )
        assert MeasureValue.objects.get(period=dt.date(2026, 11, 1)).value == D("8.6")


def test_the_card_shows_the_measures_newest_value_after_a_back_dated_check_in(
    client, org_a, kr_response
):
    """A check-in of this month reuses the value its roll-up just stored (no further read);
    one dated last month stores October's value, and the card still shows November's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org_a.contributor)
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, kr_response, as_of="2026-11-20", value="8.6").status_code == 200
    value_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "scorecards_measurevalue"' in q["sql"]
    ]
    # The roll-up's one locked read of the measure's values (November's row to correct, and
    # the rest for the refresh of its stored state, ``scorecards.state.values_known``):
    # nothing more for the refresh or the card.
    assert len(value_reads) == 1
    response = _post(client, kr_response, as_of="2026-10-15", value="9.5")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Average response time now 8.6 min" in body
    assert "8.6 min (November 2026)" in body  # the period label (fiscal.period_label)
    with scope(organization=org_a.org):
        assert MeasureValue.objects.get(period=dt.date(2026, 10, 1)).value == D("9.5")


def _metric_kr(org_a, objective, title, owner, order):
    return KeyResult.objects.create(
        organization=org_a.org,
        objective=objective,
        title=title,
        owner=owner,
        kind="metric",
        start_value=D(0),
        target_value=D(10),
        order=order,
    )


def test_a_check_in_updates_the_objective_score_on_the_sibling_cards_out_of_band(
    client, org_a, okr, kr_response, kr_patrols, django_assert_max_num_queries
):
    """The htmx answer carries the objective's new score for the member's other cards of that
    objective (not for other objectives' cards or others' results), within the same queries
    however many siblings there are; without JavaScript the page shows it on every card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with scopes_disabled():
        others = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=okr.cycle,
            level="unit",
            unit=org_a.unit,
            owner=org_a.editor,
            title="Safer streets",
        )
        elsewhere = _metric_kr(org_a, others, "Fewer burglaries", org_a.contributor, 0)
        not_mine = _metric_kr(org_a, okr, "Editor's result", org_a.editor, 2)
    client.force_login(org_a.contributor)
    with CaptureQueriesContext(connection) as first:
        response = _post(client, kr_response, as_of="2026-11-20", value="8.6")
    assert response.status_code == 200
    body = response.content.decode()
    # kr_response 0.50, kr_patrols 0, the editor's result 0: mean 0.17.
    assert "objective score 0.17" in body
    assert _objective_score(body, kr_patrols.pk, oob=True) == "0.17"
    assert body.count('hx-swap-oob="true"') == 1
    for absent in (kr_response, elsewhere, not_mine):
        assert f'id="objective-score-{absent.pk}" hx-swap-oob' not in body
    with scopes_disabled():
        extra = [_metric_kr(org_a, okr, f"Result {i}", org_a.contributor, 3 + i) for i in range(8)]
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = _post(client, kr_response, as_of="2026-11-21", value="8.6").content.decode()
    assert body.count('hx-swap-oob="true"') == 9
    for sibling in [kr_patrols, *extra]:
        assert _objective_score(body, sibling.pk, oob=True) == "0.05"
    # Without JavaScript: the redirect's page shows the new score on every card of it.
    client.post(
        reverse("okrs:checkin", args=["alpha", kr_patrols.pk]),
        {f"kr{kr_patrols.pk}-as_of": "2026-11-20", f"kr{kr_patrols.pk}-value": "140"},
    )
    page = client.get(reverse("okrs:my_checkins", args=["alpha"])).content.decode()
    for sibling in [kr_response, kr_patrols, *extra]:
        assert _objective_score(page, sibling.pk) == "0.14"
    assert _objective_score(page, elsewhere.pk) == "0.00"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"as_of": "2026-11-20", "value": "fast"}, "value", "Enter a number"),
        ({"as_of": "2026-11-20", "value": ""}, "value", "Enter the current value."),
        ({"as_of": "2026-09-20", "value": "8.5"}, "as_of", "Choose a date in Q2 FY 2026–27"),
        (
            {"as_of": "2026-11-20", "value": "8.5", "confidence": "11"},
            "confidence",
            "Give a confidence from 0 to 10.",
        ),
        (
            {"as_of": "2026-11-20", "value": "8.5", "confidence": "high"},
            "confidence",
            "whole number",
        ),
    ],
)
def test_bad_check_ins_show_the_error_next_to_the_field(
    client, org_a, kr_response, data, field, message
):
    client.force_login(org_a.contributor)
    response = _post(client, kr_response, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_kr{kr_response.pk}-{field}_error"' in body
    assert message in body
    with scope(organization=org_a.org):
        assert not CheckIn.objects.exists()


def test_viewer_and_other_contributors_cannot_check_in(client, org_a, kr_response):
    for user in (org_a.viewer,):
        client.force_login(user)
        assert _post(client, kr_response, as_of="2026-11-20", value="8.5").status_code == 403
    with scopes_disabled():
        KeyResult.objects.filter(pk=kr_response.pk).update(owner=org_a.editor)
    client.force_login(org_a.contributor)
    assert _post(client, kr_response, as_of="2026-11-20", value="8.5").status_code == 403
    client.force_login(org_a.editor)  # editors may check in for anyone
    assert _post(client, kr_response, as_of="2026-11-20", value="8.5").status_code == 200


def test_plain_post_without_javascript_redirects_back(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    response = client.post(
        reverse("okrs:checkin", args=["alpha", kr_response.pk]),
        {f"kr{kr_response.pk}-as_of": "2026-11-20", f"kr{kr_response.pk}-value": "8.7"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("okrs:my_checkins", args=["alpha"])


def test_my_checkins_queries_do_not_grow_with_50_key_results(
    client, org_a, okr, kr_response, django_assert_max_num_queries, cold_pages
):
    with scopes_disabled():
        for i in range(50):
            kr = KeyResult.objects.create(
                organization=org_a.org,
                objective=okr,
                title=f"Result {i}",
                owner=org_a.contributor,
                kind="metric",
                start_value=D(0),
                target_value=D(10),
            )
            CheckIn.objects.create(
                organization=org_a.org,
                key_result=kr,
                as_of=dt.date(2026, 11, 6),
                value=D(i % 10),
            )
    client.force_login(org_a.contributor)
    client.get(reverse("okrs:my_checkins", args=["alpha"]))  # warm caches
    with django_assert_max_num_queries(16):
        response = client.get(reverse("okrs:my_checkins", args=["alpha"]))
    assert response.content.count(b'class="sh-kr-card"') == 51


def test_cycle_overview_tree_and_filters(client, org_a, okr, kr_response):
    with scopes_disabled():
        child = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=okr.cycle,
            level="team",
            unit=org_a.team,
            owner=org_a.contributor,
            title="Team: faster dispatch",
            parent=okr,
        )
    client.force_login(org_a.viewer)
    url = reverse("okrs:cycle", args=["alpha"])
    body = client.get(url).content.decode()
    assert body.index(okr.title) < body.index(child.title)
    # The child hangs in its parent's branch (a <details>, open without script).
    tree = body[body.index('id="tree-h"') :]
    branch = tree.index('<details class="sh-tree__branch" open>')
    assert tree.index(okr.title) < branch < tree.index(child.title)
    assert "Not linked" in body  # the team objective names no strategic objective
    filtered = client.get(url, {"owner": org_a.contributor.pk}).content.decode()
    assert child.title in filtered and f'/{okr.pk}/">Faster emergency response</a>' not in filtered


def test_cycle_overview_queries_stay_bounded_with_3000_objectives(
    client, org_a, quarter, objective_a, django_assert_max_num_queries, cold_pages
):
    with scopes_disabled():
        objectives = OkrObjective.objects.bulk_create(
            OkrObjective(
                organization=org_a.org,
                cycle=quarter,
                level="team",
                title=f"Objective {i}",
                owner=org_a.editor if i % 2 else None,
                unit=org_a.team,
                strategic_objective=objective_a if i % 3 else None,
            )
            for i in range(3000)
        )
        KeyResult.objects.bulk_create(
            KeyResult(
                organization=org_a.org,
                objective=objectives[i % 3000],
                title=f"KR {i}",
                kind="metric",
                start_value=D(0),
                target_value=D(10),
                score=D("0.5"),
                current_as_of=dt.date(2026, 11, 6),
                current_value=D(5),
            )
            for i in range(6000)
        )
    client.force_login(org_a.viewer)
    url = reverse("okrs:cycle", args=["alpha"])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    # A page of the tree (TREE_ROWS_PER_PAGE rows and the header), and links to the others.
    assert body.count('class="sh-tree__item"') == TREE_ROWS_PER_PAGE
    assert "3000 objectives, 1–60 shown" in body
    assert 'aria-label="Page 50"' in body and 'aria-label="Page 51"' not in body
    with django_assert_max_num_queries(16):
        last = client.get(url, {"page": 50}).content.decode()
    assert last.count('class="sh-tree__item"') == TREE_ROWS_PER_PAGE
    assert "2941–3000 shown" in last
    # Each status count links to the list of its objectives.
    status = re.search(r'href="\?status=(\w+)"', body).group(1)
    with django_assert_max_num_queries(16):
        listed = client.get(url, {"status": status}).content.decode()
    assert "3000 objectives with this status, 1–60 shown" in listed


def test_measure_page_lists_feeding_key_results_worst_first(
    client, org_a, okr, kr_response, response_measure
):
    from okrs import checkins
    from okrs.checkins import CheckInEntry

    with scopes_disabled():
        good = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Ward 7 response",
            kind="metric",
            unit_kind="minutes",
            start_value=D(10),
            target_value=D(8),
            measure=response_measure,
        )
    with scope(organization=org_a.org):
        checkins.record(
            good, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("7.9"))
        )
        checkins.record(
            kr_response, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("9.4"))
        )
    client.force_login(org_a.viewer)
    body = client.get(
        reverse("scorecards:measure", args=["alpha", response_measure.pk])
    ).content.decode()
    section = body.split("Key results feeding this measure")[1]
    assert section.index(kr_response.title) < section.index("Ward 7 response")
    assert "Off track" in section


def test_objective_and_key_result_pages(client, org_a, org_b, okr, kr_response):
    from okrs import checkins
    from okrs.checkins import CheckInEntry

    with scope(organization=org_a.org):
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("9.0")),
        )
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 6), value=D("8.6")),
        )
    urls = [
        reverse("okrs:objective", args=["alpha", okr.pk]),
        reverse("okrs:key_result", args=["alpha", kr_response.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(org_b.viewer)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.get(url.replace("/o/alpha/", "/o/beta/")).status_code == 404
    client.force_login(org_a.viewer)
    objective_page = client.get(urls[0]).content.decode()
    assert kr_response.title in objective_page and "0.50" in objective_page
    kr_page = client.get(urls[1]).content.decode()
    assert '<svg class="sh-chart sh-chart--wide"' in kr_page
    assert "November 6: 8.6 min" in kr_page  # a point of the chart
    assert "Nov 6, 2026" in kr_page  # the same check-in in the table
    assert "Forecast at" in kr_page


def test_correcting_an_older_check_in_keeps_history_and_current_value(client, org_a, kr_response):
    from okrs import checkins
    from okrs.checkins import CheckInEntry

    with scope(organization=org_a.org):
        old = checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 10, 9), value=D("9.0")),
        ).checkin
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 6), value=D("8.6")),
        )
    client.force_login(org_a.contributor)
    page = client.get(reverse("okrs:key_result", args=["alpha", kr_response.pk])).content.decode()
    assert "Save correction" in page
    url = reverse("okrs:checkin_edit", args=["alpha", kr_response.pk, old.pk])
    prefix = f"edit{old.pk}-"
    response = client.post(url, {prefix + "as_of": "2026-10-09", prefix + "value": "8.8"})
    assert response.status_code == 302
    bad = client.post(url, {prefix + "as_of": "2026-10-09", prefix + "value": "x"}, follow=True)
    assert b"Enter a number" in bad.content
    with scope(organization=org_a.org):
        corrected = CheckIn.objects.get(pk=old.pk)
        assert corrected.value == D("8.8")
        assert [h.value for h in corrected.history.order_by("history_date")] == [D("9.0"), D("8.8")]
        assert KeyResult.objects.get(pk=kr_response.pk).current_value == D("8.6")
    client.force_login(org_a.viewer)
    assert (
        client.post(url, {prefix + "as_of": "2026-10-09", prefix + "value": "1"}).status_code == 403
    )
