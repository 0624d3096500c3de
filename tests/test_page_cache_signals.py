"""The page cache hears about changes through ``strategyhub.signals.data_changed`` only
(strategyhub/caching/receivers.py): a domain write announced with ``signals.changed`` or
``signals.person_changed``, and every model save, delete or many-to-many change, which the
bridge turns into the same signal.

Each test writes outside a transaction (``transaction=True``), as a request does: inside one,
a version moves at the transaction's first write and after its commit
(``pages._bump_now_and_on_commit``), and the test's own transaction would never commit."""

import pytest
from django_scopes import scope

from strategyhub import signals
from strategyhub.caching import pages


@pytest.mark.django_db(transaction=True)
def test_a_change_announced_for_an_agency_moves_its_page_version(org_a, org_b):
    mine, other = pages.organization_key(org_a.org.pk), pages.organization_key(org_b.org.pk)
    (before,), (other_before,) = pages.versions(mine), pages.versions(other)
    signals.changed(org_a.org.pk, "okrs.KeyResult", [1])
    assert pages.versions(mine) == [before + 1]
    assert pages.versions(other) == [other_before]


@pytest.mark.django_db(transaction=True)
def test_a_change_announced_for_a_person_moves_only_their_version(org_a):
    person = pages.person_key(org_a.viewer.pk)
    colleague = pages.person_key(org_a.editor.pk)
    organization = pages.organization_key(org_a.org.pk)
    (before,), (colleague_before,), (organization_before,) = (
        pages.versions(person),
        pages.versions(colleague),
        pages.versions(organization),
    )
    signals.person_changed(org_a.viewer.pk, "ownership.Notification", [7])
    assert pages.versions(person) == [before + 1]
    assert pages.versions(colleague) == [colleague_before]
    assert pages.versions(organization) == [organization_before]


@pytest.mark.django_db(transaction=True)
def test_a_saved_row_is_announced_as_data_changed_with_its_agency_and_kind(org_a):
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    signals.data_changed.connect(listen)
    try:
        (before,) = pages.versions(pages.organization_key(org_a.org.pk))
        with scope(organization=org_a.org):
            org_a.team.name = "Renamed team"
            org_a.team.save()
    finally:
        signals.data_changed.disconnect(listen)
    assert {
        "organization_id": org_a.org.pk,
        "kind": "strategyhub.Unit",
        "ids": (org_a.team.pk,),
        "person_id": None,
    } in [{k: v for k, v in event.items() if k != "signal"} for event in heard]
    # A unit record is the agency's data: its pages go stale.
    assert pages.versions(pages.organization_key(org_a.org.pk))[0] > before


@pytest.mark.django_db(transaction=True)
def test_a_saved_user_is_announced_for_each_of_their_agencies_and_for_them(org_a):
    heard = []

    def listen(sender, **kwargs):
        heard.append((kwargs["organization_id"], kwargs["person_id"]))

    signals.data_changed.connect(listen)
    try:
        org_a.viewer.full_name = "New name"
        org_a.viewer.save()
    finally:
        signals.data_changed.disconnect(listen)
    assert heard == [(org_a.org.pk, None), (None, org_a.viewer.pk)]
