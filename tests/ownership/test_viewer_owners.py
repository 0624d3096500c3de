"""Owners must be able to update what they own: a viewer is refused as an owner (pickers,
forms, the assign services), and a member demoted to viewer leaves their items flagged
"owner cannot update", raised like an inactive owner."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import KeyResult
from ownership import alerts as alert_service
from ownership.models import Alert
from ownership.owners import OwnershipRefused, assign_owner, transfer_ownership
from ownership.report import collect_items
from ownership.rules import OwnerState
from strategyhub.forms import member_choices
from strategyhub.members import change_role
from strategyhub.models import Membership

pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def test_viewers_are_not_offered_as_owners(org_a):
    with scope(organization=org_a.org):
        people = set(member_choices(org_a.org))
    assert org_a.viewer not in people
    assert {org_a.admin, org_a.editor, org_a.contributor} <= people


def test_the_assign_services_refuse_a_viewer(org_a, kr_response):
    with scope(organization=org_a.org):
        with pytest.raises(OwnershipRefused, match="is a viewer and could not update it"):
            assign_owner("key_result", kr_response.pk, org_a.viewer.pk)
        with pytest.raises(OwnershipRefused, match="viewer"):
            transfer_ownership(org_a.contributor.pk, org_a.viewer.pk)


def test_the_reassign_page_says_why(client, org_a, kr_response):
    client.force_login(org_a.editor)
    url = reverse("ownership:reassign", args=["alpha", "key_result", kr_response.pk])
    response = client.post(url, {"owner": org_a.viewer.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "is a viewer and could not update it" in response.content.decode()
    plain = client.post(url, {"owner": org_a.viewer.pk}, follow=True)  # without JavaScript
    assert "is a viewer and could not update it" in plain.content.decode()
    with scopes_disabled():
        assert KeyResult.objects.get(pk=kr_response.pk).owner == org_a.contributor


def test_a_measure_form_refuses_a_viewer_owner(client, org_a, plan_a, measure_a):
    client.force_login(org_a.editor)
    response = client.get(
        reverse("scorecards:measure_edit", args=["alpha", plan_a.pk, measure_a.pk])
    )
    assert response.status_code == 200
    # The owner picker's options only: the unit picker's ids may equal the viewer's.
    picker = re.search(r'<select name="owner".*?</select>', response.content.decode(), re.S)
    assert picker is not None
    assert f'<option value="{org_a.editor.pk}"' in picker.group()
    assert f'<option value="{org_a.viewer.pk}"' not in picker.group()


def test_a_member_demoted_to_viewer_leaves_items_flagged(
    org_a, kr_response, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org):
        membership = Membership.objects.get(organization=org_a.org, user=org_a.contributor)
        change_role(membership, "viewer")
        states = {
            (i.type, i.id): i.state for i in collect_items(org_a.org, TODAY, with_owners=False)
        }
        assert states[("key_result", kr_response.pk)] == OwnerState.OWNER_INACTIVE
        with django_capture_on_commit_callbacks(execute=True):
            alert_service.scan(org_a.org, TODAY)
        alert = Alert.objects.get(kind="owner_inactive", item_id=kr_response.pk)
    assert alert.recipient == org_a.admin
    assert "owner cannot update" in alert.message
