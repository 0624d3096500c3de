"""Quarterly review, closing (frozen scores), audited reopening, carry-over, and the flag
for three missed quarters; cascade coverage."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.models import Cycle, KeyResult, OkrObjective
from scorecards.models import StrategicObjective

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_review_close_carry_over_and_reopen(client, org_a, okr, kr_response, kr_patrols, quarter):
    with scope(organization=org_a.org):
        checkins.record(
            kr_response, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.6"))
        )
        checkins.record(
            kr_patrols, org_a.editor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(140))
        )
    client.force_login(org_a.editor)
    url = reverse("okrs:review", args=["alpha", okr.pk])
    page = client.get(url).content.decode()
    assert "0.75" in page  # proposed: mean of 0.5 and 1.0
    response = client.post(
        url,
        {
            "final_score": "0.7",
            "what_worked": "Beat redesign",
            "lessons": "Start earlier",
            f"decision_{kr_response.pk}": "carry_over",
            f"decision_{kr_patrols.pk}": "complete",
        },
    )
    assert response.status_code == 302
    # Only admins close and reopen.
    assert client.post(reverse("okrs:cycle_close", args=["alpha", quarter.pk])).status_code == 403
    client.force_login(org_a.admin)
    client.post(reverse("okrs:cycle_close", args=["alpha", quarter.pk]))
    with scope(organization=org_a.org):
        quarter.refresh_from_db()
        assert quarter.status == "closed" and quarter.closed_by == org_a.admin
        frozen = KeyResult.objects.get(pk=kr_response.pk)
        assert frozen.frozen_score == D("0.5")
        successor = KeyResult.objects.get(predecessor=kr_response)
        assert successor.objective.cycle.quarter == 3  # the next quarter
        assert successor.start_value == D("8.6")  # starts from where it stood
        assert successor.objective.title == okr.title
        assert not KeyResult.objects.filter(predecessor=kr_patrols).exists()
    # Closed: check-ins are refused and scores stay frozen.
    client.force_login(org_a.contributor)
    closed = client.post(
        reverse("okrs:checkin", args=["alpha", kr_response.pk]),
        {f"kr{kr_response.pk}-as_of": "2026-11-21", f"kr{kr_response.pk}-value": "7"},
    )
    assert closed.status_code == 400 and b"is closed" in closed.content
    # Reopening needs a reason and is recorded in the cycle's history.
    client.force_login(org_a.admin)
    client.post(
        reverse("okrs:cycle_reopen", args=["alpha", quarter.pk]), {"reason": ""}, follow=True
    )
    with scope(organization=org_a.org):
        assert Cycle.objects.get(pk=quarter.pk).status == "closed"
    client.post(
        reverse("okrs:cycle_reopen", args=["alpha", quarter.pk]), {"reason": "Late data from CAD"}
    )
    with scope(organization=org_a.org):
        reopened = Cycle.objects.get(pk=quarter.pk)
        assert reopened.status == "in_review"
        last = reopened.history.first()
        assert last.history_user == org_a.admin
        assert last.history_change_reason == "Reopened: Late data from CAD"
        assert KeyResult.objects.get(pk=kr_response.pk).frozen_score is None


def test_three_missed_quarters_flag_the_strategic_objective(
    org_a, okr, kr_response, quarter, objective_a
):
    from okrs.cycles import ensure_cycles
    from okrs.review import close_cycle

    with scope(organization=org_a.org):
        ensure_cycles(org_a.org, 2025)
        q4 = Cycle.objects.get(fiscal_year=2025, quarter=4)
        q1 = Cycle.objects.get(fiscal_year=2026, quarter=1)
        chain = []
        for cycle in (q4, q1):
            objective = OkrObjective.objects.create(
                organization=org_a.org,
                cycle=cycle,
                level="unit",
                unit=org_a.unit,
                title=okr.title,
                strategic_objective=objective_a,
            )
            chain.append(
                KeyResult.objects.create(
                    organization=org_a.org,
                    objective=objective,
                    title=kr_response.title,
                    kind="metric",
                    unit_kind="minutes",
                    start_value=D("9.2"),
                    target_value=D("8.0"),
                    frozen_score=D("0.3"),
                    predecessor=chain[-1] if chain else None,
                )
            )
        KeyResult.objects.filter(pk=kr_response.pk).update(predecessor=chain[-1], score=D("0.2"))
        close_cycle(quarter, by=org_a.admin)
        flag = StrategicObjective.objects.get(pk=objective_a.pk).review_flag
    assert "missed 3 quarters running" in flag


def test_cascade_coverage(client, org_a, quarter, objective_a, okr):
    with scopes_disabled():
        top = OkrObjective.objects.create(
            organization=org_a.org,
            cycle=quarter,
            level="agency",
            title="Safer city",
            strategic_objective=objective_a,
        )
        OkrObjective.objects.filter(pk=okr.pk).update(strategic_objective=None)
    client.force_login(org_a.viewer)
    body = client.get(reverse("okrs:coverage", args=["alpha", quarter.pk])).content.decode()
    assert "50%" in body  # one of two objectives linked
    assert top.title in body.split("no unit-level objective")[1].split("<h2>")[0]
    assert okr.title in body.split("aligned to no agency objective")[1]  # no parent
