"""Scores at full precision, rounded once at display: the stored objective score is kept
by every write (``recompute_scores`` has nothing left to change), every page and the
publication show one result and its objective alike, and the review saves as pre-filled."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins, keyresults, review
from okrs.checkins import CheckInEntry
from okrs.keyresults import recompute_scores, rollup_inputs
from okrs.models import KeyResult, OkrObjective
from ownership.report import collect_items
from publicdash.snapshot import build_document
from strategyhub.ui.formatting import format_score

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")
TWO_THIRDS = D(2) / D(3)


@pytest.fixture
def kr_third(org_a, okr):
    """A result two thirds of the way once it checks in 2 (0 → 3)."""
    with scopes_disabled():
        kr = KeyResult.objects.create(
            organization=org_a.org,
            objective=okr,
            title="Open three new community posts",
            owner=org_a.contributor,
            kind="metric",
            unit_kind="number",
            decimals=0,
            start_value=D(0),
            target_value=D(3),
        )
        keyresults.key_result_changed(kr, None)
        return kr


def stored(objective):
    with scopes_disabled():
        return OkrObjective.objects.get(pk=objective.pk).score


def final_score(objective):
    with scopes_disabled():
        return OkrObjective.objects.get(pk=objective.pk).final_score


def assert_nothing_left(org):
    assert recompute_scores(org) == 0


def test_every_write_keeps_the_stored_objective_score(org_a, okr, kr_third, kr_patrols, quarter):
    with scope(organization=org_a.org):
        keyresults.key_result_changed(kr_patrols, None)  # a new result counts as 0
        assert stored(okr) == 0
        assert_nothing_left(org_a.org)
        checkins.record(
            kr_third, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(2))
        )
        kr = KeyResult.objects.get(pk=kr_third.pk)
        assert kr.score == D("0.6666666666666667")  # full precision, not 0.667
        assert stored(okr) == D("0.3333333333333334")  # (0.6666666666666667 + 0) / 2
        assert_nothing_left(org_a.org)
        before = rollup_inputs(kr_patrols)
        kr_patrols.weight = D(3)
        kr_patrols.save()
        keyresults.key_result_changed(kr_patrols, before)
        assert stored(okr) == calc_mean([(kr.score, D(1)), (D(0), D(3))])
        assert_nothing_left(org_a.org)
        keyresults.archive_key_result(kr_patrols)
        assert stored(okr) == kr.score
        assert_nothing_left(org_a.org)
        keyresults.archive_key_result(kr_patrols, restore=True)
        assert_nothing_left(org_a.org)
        keyresults.archive_objective(okr)
        assert_nothing_left(org_a.org)
        keyresults.archive_objective(okr, restore=True)
        review.start_review(quarter)
        kr_third.refresh_from_db()
        kr_third.review_decision = "carry_over"
        kr_third.save()
        review.close_cycle(quarter, by=org_a.admin)
        # Frozen at full precision, as stored.
        assert KeyResult.objects.get(pk=kr_third.pk).frozen_score == D("0.6666666666666667")
        copy = KeyResult.objects.get(predecessor=kr_third)
        assert stored(copy.objective) == 0
        assert_nothing_left(org_a.org)
        quarter.refresh_from_db()
        review.reopen_cycle(quarter, by=org_a.admin, reason="A late correction")
        assert_nothing_left(org_a.org)


def calc_mean(pairs):
    from okrs import calc

    return calc.objective_score(pairs)


def test_recompute_scores_repairs_a_stale_score(org_a, okr, kr_third):
    with scope(organization=org_a.org):
        checkins.record(
            kr_third, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(2))
        )
        KeyResult.objects.filter(pk=kr_third.pk).update(score=D("0.667"))
        OkrObjective.objects.filter(pk=okr.pk).update(score=None)
        assert recompute_scores(org_a.org) == 2
        assert stored(okr) == D("0.6666666666666667")
        assert_nothing_left(org_a.org)


def test_one_result_and_its_objective_agree_on_every_page(client, org_a, okr, kr_third):
    with scope(organization=org_a.org):
        checkins.record(
            kr_third, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(2))
        )
    pages = {}
    client.force_login(org_a.contributor)
    pages["my check-ins"] = client.get(reverse("okrs:my_checkins", args=["alpha"]))
    client.force_login(org_a.admin)
    pages["cycle"] = client.get(reverse("okrs:cycle_detail", args=["alpha", okr.cycle_id]))
    pages["objective"] = client.get(reverse("okrs:objective", args=["alpha", okr.pk]))
    pages["key result"] = client.get(reverse("okrs:key_result", args=["alpha", kr_third.pk]))
    pages["ownership"] = client.get(reverse("ownership:page", args=["alpha"]))
    with scope(organization=org_a.org):
        owned = {(i.type, i.id): i for i in collect_items(org_a.org, dt.date(2026, 11, 22))}
    # The ownership page lists only what needs an owner's attention; its items carry these.
    kr_item, objective_item = owned["key_result", kr_third.pk], owned["okr_objective", okr.pk]
    assert format_score(kr_item.extra["score"]) == format_score(objective_item.extra["score"])
    assert format_score(kr_item.extra["score"]) == "0.67"
    assert kr_item.status_label == objective_item.status_label == "On track"
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "0.667" not in body and "0.666" not in body, name
        if name != "ownership":
            assert "0.67" in body and "On track" in body, name
    with scope(organization=org_a.org):
        document = build_document(org_a.org, include_okrs=True, version=1)
    (row,) = document["okrs"]["objectives"]
    assert row["score"] == "0.67"
    (published,) = row["key_results"]
    assert (published["score"], published["status_label"]) == ("0.67", "On track")


def _review_post(kr, final_score):
    return {
        "final_score": final_score,
        "what_worked": "Posts opened with the wards",
        "lessons": "Start earlier",
        f"decision_{kr.pk}": "complete",
    }


def test_the_review_saves_as_pre_filled_with_the_exact_score(client, org_a, okr, kr_third):
    with scope(organization=org_a.org):
        checkins.record(
            kr_third, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(2))
        )
    client.force_login(org_a.editor)
    url = reverse("okrs:review", args=["alpha", okr.pk])
    page = client.get(url).content.decode()
    assert 'value="0.67"' in page and "0.6666" not in page
    assert client.post(url, _review_post(kr_third, "0.67")).status_code == 302
    assert final_score(okr) == D("0.6666666666666667")
    # Shown again as pre-filled (rounded) while it is still the computed score.
    assert 'value="0.67"' in client.get(url).content.decode()
    assert client.post(url, _review_post(kr_third, "0.85")).status_code == 302
    assert final_score(okr) == D("0.85")
    assert 'value="0.85"' in client.get(url).content.decode()


def test_a_final_score_above_1_is_refused_and_the_rest_is_kept(client, org_a, okr, kr_third):
    client.force_login(org_a.editor)
    url = reverse("okrs:review", args=["alpha", okr.pk])
    response = client.post(url, _review_post(kr_third, "1.5"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "The final score is between 0 and 1" in body
    assert "Posts opened with the wards" in body  # the other fields keep what was typed
    assert final_score(okr) is None
    response = client.post(url, _review_post(kr_third, "0.12345"))
    assert "at most 4 decimals" in response.content.decode()
