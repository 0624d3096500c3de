"""The round trip (issue 20): an agency's export imported into an empty agency reproduces
it — the same rows, numbers and statuses (measure states, key-result readings and scores,
objective scores, closed quarters, frozen scores) — and importing it again changes nothing.
On the demo agency and on ``generate_agency --scale small``; in both formats."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from strategyhub.models import Membership, Organization, User
from tests.dataio.books import exported, exported_zip, messages, run
from tests.dataio.snapshots import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def copy_of(source: Organization, admin_email: str, data: bytes, name: str) -> Organization:
    target = Organization.objects.create(name="Copy", slug="copy")
    admin = User.objects.get(email=admin_email)
    Membership.objects.create(organization=target, user=admin, role="admin")
    outcome = run(target, data, admin, name=name)
    assert outcome.ok, messages(outcome)[:20]
    assert not outcome.problems
    again = run(target, data, admin, name=name)
    assert again.ok and not again.changed, {
        sheet: counts
        for sheet, counts in again.counts.items()
        if counts["created"] or counts["updated"]
    }
    return target


def assert_same(source: Organization, target: Organization) -> None:
    with scope(organization=source):
        expected = snapshot(source)
    with scope(organization=target):
        found = snapshot(target)
    for kind, rows in expected.items():
        assert found[kind] == rows, kind
    assert expected["MeasureState"] and expected["KeyResult"] and expected["CheckIn"]


def test_the_demo_agency_round_trips_exactly():
    with scopes_disabled():
        call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    riverton = Organization.objects.get(slug="riverton")
    target = copy_of(riverton, "admin@riverton.example", exported(riverton), "riverton.xlsx")
    assert_same(riverton, target)


def test_a_generated_agency_round_trips_exactly_through_csv_files():
    call_command("generate_agency", "--slug", "gen", "--scale", "small", stdout=StringIO())
    generated = Organization.objects.get(slug="gen")
    # The generator's own output, as written: no fix-ups before the export.
    target = copy_of(generated, "admin@gen.example", exported_zip(generated), "gen.zip")
    assert_same(generated, target)
