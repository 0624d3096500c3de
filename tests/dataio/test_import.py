"""The import's rules (dataio/importing): the app's own rule functions on every row, every
problem reported with its sheet, row, column and value, all or nothing, idempotent,
partial workbooks, and people (invitations, memberships, inactive members)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

import strategyhub.tasks  # noqa: F401  (the invitation email's task, enqueued by name)
from okrs.models import KeyResult
from scorecards.models import Measure, MeasureValue
from strategyhub.models import Invitation, Membership, Organization, User
from tests.conftest import needs_service
from tests.dataio.books import edited, exported, messages, only, rows_of, run
from tests.dataio.snapshots import snapshot
from tests.factories import CheckInFactory, CycleFactory, KeyResultFactory, OkrObjectiveFactory

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def okr_a(org_a, measure_a):
    """A quarter of agency A with a key result (0 → 100) and one check-in."""
    cycle = CycleFactory(organization=org_a.org)
    objective = OkrObjectiveFactory(cycle=cycle, owner=org_a.contributor)
    key_result = KeyResultFactory(objective=objective, owner=org_a.contributor)
    CheckInFactory(key_result=key_result, author=org_a.contributor, as_of=dt.date(2026, 11, 16))
    return key_result


@pytest.fixture
def empty(db):
    """An agency with nothing in it but its admin (of agency A too: the same account)."""
    return Organization.objects.create(name="Empty agency", slug="empty")


def admin_of(organization, user):
    Membership.objects.create(organization=organization, user=user, role="admin")
    return user


def state(organization):
    with scope(organization=organization):
        return snapshot(organization)


def test_reimporting_the_same_export_changes_nothing(org_a, okr_a):
    call_command("recompute_rollups", "--slug", "alpha", stdout=StringIO())  # factory rows
    data = exported(org_a.org)
    before = state(org_a.org)
    outcome = run(org_a.org, data, org_a.admin)
    assert outcome.ok, messages(outcome)
    assert not outcome.changed, outcome.counts
    assert outcome.counts["Measures"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert outcome.counts["Check-ins"]["unchanged"] == 1
    assert state(org_a.org) == before


def test_a_changed_row_updates_that_row_only(org_a, measure_a):
    data = edited(exported(org_a.org), "Measures", 2, "Name", "Violent crime per 100k")
    outcome = run(org_a.org, data, org_a.admin)
    assert outcome.ok, messages(outcome)
    assert outcome.counts["Measures"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert outcome.counts["Strategic objectives"]["updated"] == 0
    with scope(organization=org_a.org):
        assert Measure.objects.get(pk=measure_a.pk).name == "Violent crime per 100k"
        assert Measure.objects.count() == 1


def test_a_dry_run_counts_and_changes_nothing(org_a, measure_a, empty):
    admin_of(empty, org_a.admin)
    before = state(empty)
    outcome = run(empty, exported(org_a.org), org_a.admin, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert outcome.counts["Measures"]["created"] == 1
    assert outcome.counts["Measure values"]["created"] == 1
    assert state(empty) == before


def test_bad_cells_are_each_reported_with_sheet_row_column_and_value(org_a, measure_a, org_b):
    data = exported(org_a.org)
    data = edited(data, "Measures", 2, "Baseline value", "lots")  # text in a number column
    data = edited(data, "Measures", 2, "Unit of measure", "furlongs")  # unknown unit
    data = edited(data, "Measures", 2, "Organisational unit", "UNT-NOWHERE")
    data = edited(data, "Strategic objectives", 2, "Perspective", "PER-NOWHERE")
    before = state(org_a.org)
    outcome = run(org_a.org, data, org_a.admin)
    found = messages(outcome)
    assert (
        'sheet "Measures", row 2, column "Baseline value": Expected a number. (found "lots")'
        in found
    )
    assert any(
        m.startswith('sheet "Measures", row 2, column "Unit of measure": Expected one of:')
        and m.endswith('(found "furlongs")')
        for m in found
    )
    assert (
        'sheet "Strategic objectives", row 2, column "Perspective": No row has this Key on '
        '“Perspectives” or in this agency. (found "PER-NOWHERE")' in found
    )
    assert state(org_a.org) == before


def test_an_unknown_org_unit_is_named(org_a, measure_a):
    data = edited(exported(org_a.org), "Measures", 2, "Organisational unit", "UNT-NOWHERE")
    found = messages(run(org_a.org, data, org_a.admin))
    assert found == [
        'sheet "Measures", row 2, column "Organisational unit": No row has this Key on '
        '“Units” or in this agency. (found "UNT-NOWHERE")'
    ]


def test_a_measure_key_of_another_agency_is_an_unknown_key(org_a, measure_a, org_b):
    """Agency B's workbook of values names agency A's measure: unknown in B."""
    values = only(exported(org_a.org), "Measure values")
    before = state(org_b.org)
    found = messages(run(org_b.org, values, org_b.admin))
    assert found == [
        f'sheet "Measure values", row 2, column "Measure": No row has this Key on “Measures” '
        f'or in this agency. (found "{measure_a.external_key}")'
    ]
    assert state(org_b.org) == before


def test_the_forms_rules_apply_start_equal_to_target_and_matching_units(org_a, okr_a, measure_a):
    data = exported(org_a.org)
    data = edited(data, "Key results", 2, "Target value", 0)  # start 0 = target 0
    found = messages(run(org_a.org, data, org_a.admin))
    assert found == [
        'sheet "Key results", row 2, column "Target value": The target equals the start: '
        'make it a hold-the-line result, or set a target. (found "0")'
    ]
    with scope(organization=org_a.org):
        Measure.objects.filter(pk=measure_a.pk).update(value_source="calculated")
    data = edited(exported(org_a.org), "Key results", 2, "Measure", measure_a.external_key)
    found = messages(run(org_a.org, data, org_a.admin))
    assert len(found) == 1 and found[0].startswith(
        'sheet "Key results", row 2, column "Measure": '
    ), found  # a percent result cannot feed a rate measure (units.feed_refusal)


def test_values_must_lie_inside_the_plan(org_a, measure_a):
    data = edited(exported(org_a.org), "Measure values", 2, "Period", dt.date(2040, 1, 1))
    found = messages(run(org_a.org, data, org_a.admin))
    assert len(found) == 1 and "Choose a period between" in found[0]
    assert found[0].startswith('sheet "Measure values", row 2, column "Period"')


def test_every_problem_is_listed_not_only_the_first(org_a, measure_a):
    data = exported(org_a.org)
    data = edited(data, "Measure values", 2, "Value", "n/a")
    data = edited(data, "Measures", 2, "Tolerance", "wide")
    data = edited(data, "Plan", 2, "First fiscal year", "next year")
    outcome = run(org_a.org, data, org_a.admin)
    assert {(p.sheet, p.column) for p in outcome.problems} == {
        ("Measure values", "Value"),
        ("Measures", "Tolerance"),
        ("Plan", "First fiscal year"),
    }


def test_a_problem_in_the_last_sheet_leaves_the_first_untouched(org_a, okr_a, empty):
    """All or nothing, on PostgreSQL: the units, plan and measures written before the bad
    check-in (the second last sheet) are rolled back with it."""
    needs_service("postgresql" in settings.DATABASES["default"]["ENGINE"], "PostgreSQL")
    admin_of(empty, org_a.admin)
    data = edited(exported(org_a.org), "Check-ins", 2, "Confidence", 11)
    outcome = run(empty, data, org_a.admin)
    assert messages(outcome) == [
        'sheet "Check-ins", row 2, column "Confidence": Ensure this value is less than or '
        'equal to 10. (found "11")'
    ]
    assert outcome.counts["Units"]["created"] == 2  # were written, then rolled back
    with scope(organization=empty):
        assert not empty.strategyhub_unit_set.exists()
        assert not Measure.objects.exists()
        assert not KeyResult.objects.exists()
        assert Membership.objects.filter(organization=empty).count() == 1


def test_closed_quarters_frozen_scores_and_reviews_come_back_as_they_were(org_a, okr_a, empty):
    from okrs import review

    call_command("recompute_rollups", "--slug", "alpha", stdout=StringIO())  # factory rows
    with scope(organization=org_a.org):
        cycle = okr_a.objective.cycle
        review.start_review(cycle)
        review.close_cycle(cycle, org_a.admin)
    admin_of(empty, org_a.admin)
    outcome = run(empty, exported(org_a.org), org_a.admin)
    assert outcome.ok, messages(outcome)
    source, copy = state(org_a.org), state(empty)
    assert copy["Cycle"] == source["Cycle"]
    assert copy["KeyResult"] == source["KeyResult"]
    assert copy["OkrObjective"] == source["OkrObjective"]
    assert copy["CheckIn"] == source["CheckIn"]


def test_only_measure_values_adds_a_year_of_history(org_a, measure_a):
    data = exported(org_a.org)
    values = only(
        edited(data, "Measure values", 2, "Period", dt.date(2026, 10, 1)), "Measure values"
    )
    outcome = run(org_a.org, values, org_a.admin)
    assert outcome.ok, messages(outcome)
    assert outcome.counts == {"Measure values": {"created": 1, "updated": 0, "unchanged": 0}}
    with scope(organization=org_a.org):
        assert sorted(MeasureValue.objects.values_list("period", flat=True)) == [
            dt.date(2026, 9, 1),
            dt.date(2026, 10, 1),
        ]
        assert measure_a.state.latest_period == dt.date(2026, 10, 1)  # derived state


def test_only_key_results_sets_up_a_new_result(org_a, okr_a):
    data = only(edited(exported(org_a.org), "Key results", 2, "Key", "KR-NEXT-1"), "Key results")
    outcome = run(org_a.org, data, org_a.admin)
    assert outcome.ok, messages(outcome)
    assert outcome.counts == {"Key results": {"created": 1, "updated": 0, "unchanged": 0}}
    with scope(organization=org_a.org):
        assert KeyResult.objects.get(external_key="KR-NEXT-1").objective_id == okr_a.objective_id


def test_people_invitation_on_confirm_membership_for_an_account_name_kept(
    client, org_a, measure_a, org_b, django_capture_on_commit_callbacks
):
    data = exported(org_a.org)
    members = rows_of(data, "Members")
    row = 2 + len(members)
    data = edited(data, "Members", row, "Email", "newcomer@elsewhere.example")
    data = edited(data, "Members", row, "Role", "editor")
    data = edited(data, "Members", row, "Name", "Nia Newcomer")
    data = edited(data, "Members", 2, "Name", "Someone Else")  # an existing account
    target = org_b.org
    editor_before = User.objects.get(email=members[0]["Email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dry = run(target, data, org_b.admin, dry_run=True)
    assert dry.ok, messages(dry)
    with scopes_disabled():
        assert not Invitation.objects.filter(email="newcomer@elsewhere.example").exists()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run(target, data, org_b.admin)
    assert outcome.ok, messages(outcome)
    with scopes_disabled():
        invitation = Invitation.objects.get(email="newcomer@elsewhere.example")
    assert invitation.organization == target and invitation.role == "editor"
    assert invitation.full_name == "Nia Newcomer"  # the row's Name travels with the invitation
    assert [m.to for m in mail.outbox] == [["newcomer@elsewhere.example"]]
    page = client.get(reverse("accept_invitation", args=[invitation.token])).content.decode()
    assert 'value="Nia Newcomer"' in page  # and pre-fills the account form
    person = User.objects.get(pk=editor_before.pk)
    assert (person.full_name, person.password) == (editor_before.full_name, editor_before.password)
    with scopes_disabled():
        emails = set(
            Membership.objects.filter(organization=target).values_list("user__email", flat=True)
        )
    assert {m["Email"] for m in members} <= emails


def test_inactive_members_and_old_authors_come_back_inactive(org_a, okr_a, empty):
    with scopes_disabled():
        author = okr_a.checkins.get().author
    admin_of(empty, org_a.admin)
    data = exported(org_a.org)
    viewer_row = next(
        i
        for i, r in enumerate(rows_of(data, "Members"), start=2)
        if r["Email"] == org_a.viewer.email
    )
    data = edited(data, "Members", viewer_row, "Active", False)
    author_row = next(
        i for i, r in enumerate(rows_of(data, "Members"), start=2) if r["Email"] == author.email
    )
    data = edited(data, "Members", author_row, "Email", None)  # the author is on no row
    for header in ("Name", "Role", "Home unit", "Active", "Deactivated at"):
        data = edited(data, "Members", author_row, header, None)
    outcome = run(empty, data, org_a.admin)
    assert outcome.ok, messages(outcome)
    with scopes_disabled():
        memberships = {
            m.user.email: m.is_active
            for m in Membership.objects.filter(organization=empty).select_related("user")
        }
    assert memberships[org_a.viewer.email] is False
    assert memberships[author.email] is False
    assert any("inactive member" in notice for notice in outcome.notices)


def test_an_import_cannot_take_away_the_importers_own_admin_access(org_a):
    data = exported(org_a.org)
    row = next(
        i
        for i, r in enumerate(rows_of(data, "Members"), start=2)
        if r["Email"] == org_a.admin.email
    )
    found = messages(run(org_a.org, edited(data, "Members", row, "Role", "viewer"), org_a.admin))
    assert found == [
        f'sheet "Members", row {row}, column "Role": This is you: an import cannot take away '
        'your own admin access. (found "viewer")'
    ]


def test_the_command_prints_the_report_and_fails_on_problems(org_a, measure_a, tmp_path):
    good = tmp_path / "alpha.xlsx"
    good.write_bytes(exported(org_a.org))
    out = StringIO()
    call_command("import_agency", "--slug", "alpha", str(good), "--dry-run", stdout=out)
    assert "Measures: 0 / 0 / 1" in out.getvalue() and "Dry run: nothing changed." in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(good.read_bytes(), "Measures", 2, "Baseline value", "lots"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_agency", "--slug", "alpha", str(bad), stdout=StringIO(), stderr=err)
    assert 'sheet "Measures", row 2, column "Baseline value": Expected a number.' in err.getvalue()
    with scope(organization=org_a.org):
        assert Measure.objects.get().baseline_value == Decimal(485)


def test_progress_is_reported_per_sheet_and_within_a_long_sheet(org_a, okr_a, monkeypatch):
    from dataio.importing import engine, reader
    from dataio.importing.importer import import_book

    monkeypatch.setattr(engine, "PROGRESS_EVERY", 1)
    book = reader.read(exported(org_a.org), "alpha.xlsx")
    calls = []
    with scope(organization=org_a.org):
        import_book(org_a.org, org_a.admin, book, dry_run=True, progress=lambda *c: calls.append(c))
    phases = [phase for phase, _rows in calls]
    assert "Checking and writing “Measures”" in phases
    assert phases[-1] == "Recomputing scores, roll-ups and statuses"
    within = [rows for phase, rows in calls if phase == "Checking and writing “Perspectives”"]
    assert within == sorted(within) and len(set(within)) > 1  # rows move within a sheet
