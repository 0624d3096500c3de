"""Django admin for platform staff, and the tenant base task."""

import pytest
from celery import shared_task
from django.contrib import admin
from django.urls import reverse
from django_scopes import ScopeError

from strategyhub.background import TenantTask
from strategyhub.models import Invitation, Membership, Organization, Unit, User
from strategyhub.tasks import send_invitation_email
from tests.factories import InvitationFactory, UserFactory


@pytest.mark.parametrize("model", [User, Organization, Unit, Membership, Invitation])
def test_every_model_is_in_admin_with_list_columns_and_filters(client, org_a, org_b, model):
    model_admin = admin.site._registry[model]
    assert len(model_admin.list_display) >= 3
    assert model_admin.list_filter
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    # Platform staff see every agency's rows (scopes are disabled under /admin/).
    if model is Membership:
        assert b"Agency Alpha" in changelist.content and b"Agency Beta" in changelist.content


def test_admin_needs_platform_staff(client, org_a):
    client.force_login(org_a.admin)  # an agency admin is not platform staff
    response = client.get(reverse("admin:strategyhub_organization_changelist"))
    assert response.status_code == 302


def test_admin_form_refuses_a_cross_agency_unit(client, org_a, org_b):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    from django_scopes import scopes_disabled

    with scopes_disabled():
        membership = Membership.objects.get(user=org_a.viewer)
    url = reverse("admin:strategyhub_membership_change", args=[membership.pk])
    response = client.post(
        url,
        {
            "organization": org_a.org.pk,
            "user": org_a.viewer.pk,
            "role": "viewer",
            "unit": org_b.unit.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form comes back with the error
    assert b"Choose an item of this agency" in response.content


@shared_task(base=TenantTask)
def count_units(*, organization_id: int) -> int:
    return Unit.objects.count()


def test_tenant_task_runs_inside_the_agencys_scope(org_a, org_b):
    assert count_units.apply(kwargs={"organization_id": org_a.org.pk}).get() == 2
    with pytest.raises(ScopeError):
        Unit.objects.count()  # the scope closed with the task


def test_tenant_task_needs_the_organization_id(db):
    with pytest.raises(TypeError, match="organization_id"):
        count_units.apply(kwargs={}).get()


def test_invitation_email_is_not_sent_for_a_withdrawn_invitation(org_a, mailoutbox):
    from django.utils import timezone
    from django_scopes import scopes_disabled

    with scopes_disabled():
        invitation = InvitationFactory(organization=org_a.org, revoked_at=timezone.now())
    sent = send_invitation_email.apply(
        kwargs={"organization_id": org_a.org.pk, "invitation_id": invitation.pk}
    ).get()
    assert sent is False
    assert mailoutbox == []


def test_admin_fixes_the_fiscal_year_once_data_is_laid_out_on_it(client, org_a, request):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:strategyhub_organization_change", args=[org_a.org.pk])
    model_admin = admin.site._registry[Organization]
    assert "fiscal_year_start_month" not in model_admin.get_readonly_fields(None, org_a.org)
    assert b'name="fiscal_year_start_month"' in client.get(url).content
    request.getfixturevalue("plan_a")
    assert "fiscal_year_start_month" in model_admin.get_readonly_fields(None, org_a.org)
    page = client.get(url).content
    assert page.count(b'name="fiscal_year_start_month"') == 0 and b"July" in page
