"""The domain models in the Django admin for platform staff (issue 23): registered read-only
with search and filters, every agency's rows visible (scopes are off under /admin/), and the
agency slug's help text keeps its placeholder."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_scopes import scopes_disabled

from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from ownership.models import Alert
from publicdash.models import Publication, PublicationEvent
from scorecards.models import Measure, MeasureValue, StrategicObjective, StrategicPlan
from tests.factories import (
    AlertFactory,
    CycleFactory,
    KeyResultFactory,
    OkrObjectiveFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

DOMAIN = [
    StrategicPlan,
    StrategicObjective,
    Measure,
    MeasureValue,
    Cycle,
    OkrObjective,
    KeyResult,
    CheckIn,
    Alert,
    Publication,
    PublicationEvent,
]


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m.__name__)
def test_domain_models_are_read_only_with_search_and_filters(staff, org_a, org_b, model):
    from django.test import RequestFactory

    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    opts = model._meta
    changelist = staff.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "x"}
    )
    assert changelist.status_code == 200
    assert staff.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403


def test_staff_find_rows_of_every_agency(staff, org_a, org_b):
    with scopes_disabled():
        okr_a = OkrObjectiveFactory(cycle=CycleFactory(organization=org_a.org))
        okr_b = OkrObjectiveFactory(cycle=CycleFactory(organization=org_b.org))
        KeyResultFactory(objective=okr_a, title="Alpha result")
        b = KeyResultFactory(objective=okr_b, title="Beta result")
        AlertFactory(organization=org_b.org, recipient=org_b.viewer, item_label="Beta alert")
    body = staff.get(reverse("admin:okrs_keyresult_changelist")).content
    assert b"Alpha result" in body and b"Beta result" in body
    found = staff.get(reverse("admin:okrs_keyresult_changelist"), {"q": "Beta"}).content
    assert b"Beta result" in found and b"Alpha result" not in found
    detail = staff.get(reverse("admin:okrs_keyresult_change", args=[b.pk]))
    assert detail.status_code == 200 and b"Beta result" in detail.content
    assert b"Beta alert" in staff.get(reverse("admin:ownership_alert_changelist")).content


def test_agency_slug_help_text_shows_its_placeholder(staff, org_a):
    page = staff.get(reverse("admin:strategyhub_organization_change", args=[org_a.org.pk]))
    assert b"/o/&lt;slug&gt;/" in page.content
