"""Every model the API exposes has an ``updated_at`` that every write path moves (saves,
``save(update_fields=…)``, ``QuerySet.update()``, ``bulk_update()``, the services built on
them), so that ``updated_since`` returns exactly the rows written since; archived and
deleted rows appear as tombstones (docs/api.md, "Incremental feeds")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from api import tasks as api_tasks
from api.models import TOMBSTONE_DAYS, Tombstone
from okrs import checkins, cycles, keyresults, review
from okrs.models import Cycle, KeyResult, OkrObjective
from scorecards import measures as measure_actions
from scorecards import plans as plan_actions
from scorecards.models import Measure, MeasureTarget, Perspective, StrategicPlan, Theme
from strategyhub import members
from strategyhub.models import Membership, Unit
from strategyhub.stamping import Stamped

pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def changed(api, token, path, mark, **params) -> set[int]:
    """The ids ``path`` lists as written at or after ``mark``."""
    response = api.get(path, token, updated_since=mark.isoformat(), limit=500, **params)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def stones(api, token, mark, kind) -> list[tuple[int, str]]:
    response = api.get("/tombstones", token, since=mark.isoformat(), kind=kind)
    assert response.status_code == 200, response.content
    return [(t["object_id"], t["reason"]) for t in response.json()["items"]]


@pytest.fixture
def token(org_a, make_token):
    return make_token(org_a, "admin", scope="read").secret


def test_every_model_the_api_lists_is_stamped():
    exposed = [
        StrategicPlan,
        Perspective,
        Theme,
        apps.get_model("scorecards", "StrategicObjective"),
        Measure,
        MeasureTarget,
        apps.get_model("scorecards", "MeasureState"),
        Cycle,
        OkrObjective,
        KeyResult,
        Unit,
        Membership,
    ]
    for model in exposed:
        assert issubclass(model, Stamped), model
        assert model._meta.get_field("updated_at").db_index, model
    # The check-in's and the value's own update times are indexed for the feeds too.
    assert apps.get_model("okrs", "CheckIn")._meta.get_field("updated_at").db_index
    assert apps.get_model("scorecards", "MeasureValue")._meta.get_field("entered_at").db_index


def test_update_bulk_update_and_update_fields_move_the_stamp(org_a, kr_response, kr_patrols):
    """The paths Django itself leaves out: a plain ``update()``, ``bulk_update()`` of other
    fields, and ``save(update_fields=…)``."""
    with scopes_disabled():
        before = {kr.pk: kr.updated_at for kr in KeyResult.objects.all()}
        KeyResult.objects.filter(pk=kr_response.pk).update(score=D("0.5"))
        after_update = KeyResult.objects.get(pk=kr_response.pk).updated_at
        assert after_update > before[kr_response.pk]
        assert KeyResult.objects.get(pk=kr_patrols.pk).updated_at == before[kr_patrols.pk]

        rows = list(KeyResult.objects.all())
        for row in rows:
            row.score = D("0.25")
        KeyResult.objects.bulk_update(rows, ["score"])
        for row in KeyResult.objects.all():
            assert row.updated_at > before[row.pk] and row.score == D("0.25")

        stamp = Unit.objects.get(pk=org_a.team.pk).updated_at
        team = Unit.objects.get(pk=org_a.team.pk)
        team.order = 7
        team.save(update_fields=["order"])
        assert Unit.objects.get(pk=team.pk).updated_at > stamp


def test_values_targets_settings_and_archive_move_the_measure(
    api, org_a, plan_a, measure_a, objective_a, token
):
    mark = timezone.now()
    assert changed(api, token, "/measures", mark) == set()

    # A value entered: its stored state moves (latest value, status), so the measure does.
    with scope(organization=org_a.org):
        measure_actions.record_value(
            measure_a,
            plan=plan_a,
            organization=org_a.org,
            user=org_a.editor,
            period=dt.date(2026, 10, 1),
            value=D(455),
            today=TODAY,
        )
    assert changed(api, token, "/measures", mark) == {measure_a.pk}
    body = api.get(f"/measures/{measure_a.pk}", token).json()
    assert dt.datetime.fromisoformat(body["updated_at"]) >= mark

    # A yearly target added, then removed (the state may not move: the measure does).
    mark = timezone.now()
    with scope(organization=org_a.org):
        target = MeasureTarget.objects.create(
            organization=org_a.org, measure=measure_a, fiscal_year=2030, floor=D(380)
        )
    assert changed(api, token, "/measures", mark) == {measure_a.pk}
    mark = timezone.now()
    with scope(organization=org_a.org):
        MeasureTarget.objects.filter(pk=target.pk).delete()
    assert changed(api, token, "/measures", mark) == {measure_a.pk}

    # Archive and restore: the row moves, and an "archived" tombstone comes and goes.
    mark = timezone.now()
    with scope(organization=org_a.org):
        measure_actions.archive_measure(measure_a)
    assert changed(api, token, "/measures", mark) == {measure_a.pk}
    assert stones(api, token, mark, "measure") == [(measure_a.pk, "archived")]
    with scope(organization=org_a.org):
        measure_actions.archive_measure(measure_a, restore=True)
    assert changed(api, token, "/measures", mark) == {measure_a.pk}
    assert stones(api, token, mark, "measure") == []

    mark = timezone.now()
    with scope(organization=org_a.org):
        plan_actions.archive_objective(objective_a)
    assert changed(api, token, "/objectives", mark) == {objective_a.pk}
    assert stones(api, token, mark, "objective") == [(objective_a.pk, "archived")]


def test_check_ins_rescoring_and_the_nightly_bulk_move_okrs(
    api, org_a, okr, kr_response, kr_patrols, token
):
    mark = timezone.now()
    # A check-in: the key result's current value and score (``update()``), its objective's
    # score (``update()``) and the calculated measure's stored state all move.
    with scope(organization=org_a.org):
        checkins.record(
            kr_response, org_a.contributor, checkins.CheckInEntry(dt.date(2026, 11, 20), D("8.6"))
        )
    assert changed(api, token, "/key-results", mark) == {kr_response.pk}
    assert changed(api, token, "/okr-objectives", mark) == {okr.pk}
    assert kr_response.measure_id in changed(api, token, "/measures", mark)

    # The nightly recompute writes with ``bulk_update``: whatever it changes moves.
    with scopes_disabled():
        KeyResult.objects.filter(pk=kr_patrols.pk).update(score=D("0.9"))  # a drifted score
    mark = timezone.now()
    with scope(organization=org_a.org):
        assert keyresults.recompute_scores(org_a.org) >= 1
    assert kr_patrols.pk in changed(api, token, "/key-results", mark)
    assert kr_response.pk not in changed(api, token, "/key-results", mark)

    # Archiving a key result: a tombstone, gone again on restore.
    mark = timezone.now()
    with scope(organization=org_a.org):
        keyresults.archive_key_result(kr_patrols)
    assert stones(api, token, mark, "key_result") == [(kr_patrols.pk, "archived")]
    with scope(organization=org_a.org):
        keyresults.archive_key_result(kr_patrols, restore=True)
    assert stones(api, token, mark, "key_result") == []
    assert kr_patrols.pk in changed(api, token, "/key-results", mark)


def test_cycle_activation_and_review_move_the_cycle(api, org_a, quarter, okr, token):
    with scopes_disabled():
        later = Cycle.objects.filter(start__gt=quarter.end).order_by("start").first()
        Cycle.objects.filter(pk=later.pk).update(status="planning")
    mark = timezone.now()
    with scope(organization=org_a.org):
        # The queryset ``update()`` that starts the cycles of the day.
        cycles.ensure_current_and_next(org_a.org, today=later.start)
    assert later.pk in changed(api, token, "/cycles", mark)
    mark = timezone.now()
    with scope(organization=org_a.org):
        review.start_review(quarter)  # save(update_fields=["status"])
    assert changed(api, token, "/cycles", mark) == {quarter.pk}


def test_people_units_and_plan_parts(api, org_a, plan_a, token):
    with scopes_disabled():
        viewer = Membership.objects.get(organization=org_a.org, user=org_a.viewer)
    mark = timezone.now()
    with scope(organization=org_a.org):
        members.change_role(viewer, "contributor")
    assert changed(api, token, "/owners", mark) == {org_a.viewer.pk}

    mark = timezone.now()
    org_a.editor.full_name = "Edith Editor"
    org_a.editor.save()
    assert changed(api, token, "/owners", mark) == {org_a.editor.pk}

    # Deactivated: out of /owners, an "owner" tombstone (by person id); back on reactivation.
    mark = timezone.now()
    with scope(organization=org_a.org):
        members.deactivate_member(viewer, by=org_a.admin)
    assert stones(api, token, mark, "owner") == [(org_a.viewer.pk, "deactivated")]
    with scope(organization=org_a.org):
        members.reactivate_member(viewer)
    assert stones(api, token, mark, "owner") == []
    assert org_a.viewer.pk in changed(api, token, "/owners", mark)

    mark = timezone.now()
    with scope(organization=org_a.org):
        unit = Unit.objects.create(organization=org_a.org, name="Night shift", parent=org_a.unit)
    assert changed(api, token, "/units", mark) == {unit.pk}
    unit_id = unit.pk
    with scope(organization=org_a.org):
        unit.delete()
    assert stones(api, token, mark, "unit") == [(unit_id, "deleted")]

    mark = timezone.now()
    with scope(organization=org_a.org):
        perspective = plan_a.perspectives.first()
        perspective.name = "Residents"
        perspective.save()
        theme = Theme.objects.create(organization=org_a.org, plan=plan_a, name="Safety")
    assert changed(api, token, "/perspectives", mark) == {perspective.pk}
    assert changed(api, token, "/themes", mark) == {theme.pk}
    theme_id = theme.pk
    with scope(organization=org_a.org):
        plan_actions.delete_part(theme, "theme")
    assert stones(api, token, mark, "theme") == [(theme_id, "deleted")]
    with scope(organization=org_a.org):
        plan_a.title = "Alpha Plan 2026–2031"
        plan_a.save()
    assert changed(api, token, "/plans", mark) == {plan_a.pk}


def test_an_unchanged_agency_lists_nothing_since(api, org_a, plan_a, measure_a, okr, token):
    mark = timezone.now()
    for path in (
        "/plans",
        "/perspectives",
        "/themes",
        "/objectives",
        "/measures",
        "/cycles",
        "/okr-objectives",
        "/key-results",
        "/units",
        "/owners",
    ):
        assert changed(api, token, path, mark) == set(), path
        # And without ``updated_since`` the rows are there.
        assert api.get(path, token).status_code == 200


def test_tombstones_are_pruned_after_the_retention(api, org_a, measure_a, token):
    with scope(organization=org_a.org):
        measure_actions.archive_measure(measure_a)
        Tombstone.objects.create(organization=org_a.org, kind="measure_value", object_id=99)
        Tombstone.objects.filter(object_id=99).update(
            deleted_at=timezone.now() - dt.timedelta(days=TOMBSTONE_DAYS + 1)
        )
    assert api_tasks.prune_tombstones.apply().get() == 1
    with scopes_disabled():
        assert list(Tombstone.objects.values_list("object_id", flat=True)) == [measure_a.pk]
