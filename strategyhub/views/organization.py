"""Staff pages of one agency, under /o/<org_slug>/.

The tenant middleware has already resolved ``request.organization``, checked the active
membership (anonymous → login, non-member → 404) and opened the agency's scope; every
queryset below is therefore scoped, and an id of another agency simply is not found (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from strategyhub import signals
from strategyhub.forms import (
    InviteForm,
    OrganizationSettingsForm,
    RoleForm,
    UnitForm,
    UnitGrantForm,
)
from strategyhub.http import OrganizationRequest
from strategyhub.members import (
    MemberError,
    change_role,
    deactivate_member,
    invite_member,
    reactivate_member,
    resend_invitation,
    revoke_invitation,
)
from strategyhub.models import Invitation, Membership, Organization, Unit, User
from strategyhub.organizations import save_settings
from strategyhub.permissions import UNIT_EDIT_PERMISSION, Action, require
from strategyhub.roles import ROLE_DESCRIPTIONS, Role
from strategyhub.unique_save import save_unique


@require(Action.VIEW)
def dashboard(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    organization = request.organization
    counts = Membership.objects.filter(user__is_service_account=False).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        **{role: Count("pk", filter=Q(is_active=True, role=role)) for role in Role.values},
    )
    units = Unit.objects.all().tree_order()
    today = organization.today()
    sections = [
        html
        for _receiver, html in signals.overview_sections.send(
            sender=None, request=request, today=today
        )
        if html
    ]
    return render(
        request,
        "agency/dashboard.html",
        {
            "sections": sections,
            "fiscal_year": organization.current_fiscal_year(),
            "fiscal_quarter": organization.current_fiscal_quarter(),
            "member_counts": counts,
            "role_rows": [(label, counts[value]) for value, label in Role.choices],
            "units": units,
            "role_description": ROLE_DESCRIPTIONS[Role(request.membership.role)],
        },
    )


# --- Members --------------------------------------------------------------------------------


def _members_context(
    request: OrganizationRequest, invite_form: InviteForm | None = None
) -> dict[str, Any]:
    memberships = list(Membership.objects.for_members_page())
    invitations = [
        inv
        for inv in Invitation.objects.filter(accepted_at=None, revoked_at=None)
        .select_related("invited_by", "unit")
        .order_by("email")
    ]
    return {
        "memberships": memberships,
        "invitations": invitations,
        "invite_form": invite_form or InviteForm(organization=request.organization),
        "roles": Role.choices,
        "role_descriptions": [(Role(v).label, d) for v, d in ROLE_DESCRIPTIONS.items()],
    }


@require(Action.MANAGE_MEMBERS)
def members(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    return render(request, "agency/members.html", _members_context(request))


@require(Action.MANAGE_MEMBERS)
@require_POST
def invite(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    form = InviteForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            invitation = invite_member(
                request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                invited_by=request.user,
            )
        except MemberError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                gettext("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("agency:members", org_slug=org_slug)
    return render(
        request, "agency/members.html", _members_context(request, invite_form=form), status=400
    )


def _member_row_response(
    request: OrganizationRequest, membership: Membership, error: str | None = None
) -> HttpResponse:
    """The updated table row for htmx, or the whole page after a plain POST."""
    if request.htmx:
        membership = Membership.objects.for_members_page().get(pk=membership.pk)
        return render(
            request,
            "agency/members.html#member-row",
            {"m": membership, "roles": Role.choices, "row_error": error},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("agency:members", org_slug=request.organization.slug)


@require(Action.MANAGE_MEMBERS)
@require_POST
def member_role(request: OrganizationRequest, org_slug: str, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id)
    form = RoleForm(request.POST, instance=Membership(role=membership.role))
    if not form.is_valid():
        return _member_row_response(request, membership, "Choose one of the roles listed.")
    try:
        change_role(membership, form.cleaned_data["role"])
    except MemberError as exc:
        return _member_row_response(request, membership, str(exc))
    if not request.htmx:
        messages.success(
            request,
            gettext("%(display_name)s is now %(label)s.")
            % {"display_name": membership.user.display_name, "label": Role(membership.role).label},
        )
    return _member_row_response(request, membership)


@require(Action.MANAGE_MEMBERS)
@require_POST
def member_active(request: OrganizationRequest, org_slug: str, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id)
    try:
        if request.POST.get("active") == "1":
            reactivate_member(membership)
            done = f"{membership.user.display_name} can sign in to this agency again."
        else:
            deactivate_member(membership, by=request.user)
            done = f"{membership.user.display_name} was deactivated; everything they own is kept."
    except MemberError as exc:
        return _member_row_response(request, membership, str(exc))
    if not request.htmx:
        messages.success(request, done)
    return _member_row_response(request, membership)


@require(Action.MANAGE_MEMBERS)
@require_POST
def invitation_revoke(
    request: OrganizationRequest, org_slug: str, invitation_id: int
) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        revoke_invitation(invitation)
    except MemberError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("The invitation of %(email)s was withdrawn.") % {"email": invitation.email},
        )
    return redirect("agency:members", org_slug=org_slug)


@require(Action.MANAGE_MEMBERS)
@require_POST
def invitation_resend(
    request: OrganizationRequest, org_slug: str, invitation_id: int
) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        resend_invitation(invitation)
    except MemberError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("The invitation email to %(email)s is on its way again.")
            % {"email": invitation.email},
        )
    return redirect("agency:members", org_slug=org_slug)


# --- Units ----------------------------------------------------------------------------------


def _unit_grants(units: list[Unit]) -> dict[int, list[User]]:
    """Explicit edit grants per unit id, in one query."""
    content_type = ContentType.objects.get_for_model(Unit)
    rows = (
        UserObjectPermission.objects.filter(
            content_type=content_type,
            permission__codename="edit_unit_items",
            object_pk__in=[str(unit.pk) for unit in units],
        )
        .select_related("user")
        .order_by("user__email")
    )
    grants: dict[int, list[User]] = {}
    for row in rows:
        grants.setdefault(int(row.object_pk), []).append(row.user)
    return grants


@require(Action.VIEW)
def units(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    tree = Unit.objects.all().tree_order()
    editable = request.perms.editable_unit_ids(tree)
    grants = _unit_grants(tree) if request.perms.can(Action.MANAGE_UNITS) else {}
    member_counts = dict(
        Membership.objects.active()
        .filter(unit__isnull=False)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    for unit in tree:
        unit.editable = unit.pk in editable
        unit.grants = grants.get(unit.pk, [])
        unit.member_count = member_counts.get(unit.pk, 0)
    return render(
        request,
        "agency/units.html",
        {
            "units": tree,
            "form": UnitForm(organization=request.organization)
            if request.perms.can(Action.MANAGE_UNITS)
            else None,
        },
    )


@require(Action.MANAGE_UNITS)
@require_http_methods(["GET", "POST"])
def unit_edit(
    request: OrganizationRequest, org_slug: str, unit_id: int | None = None
) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    form = UnitForm(request.POST or None, instance=unit, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        saved = save_unique(form, message=_("Another unit with this name already sits there."))
        if saved is not None:
            messages.success(
                request, gettext("The unit “%(name)s” was saved.") % {"name": saved.name}
            )
            return redirect("agency:units", org_slug=org_slug)
    grant_form = UnitGrantForm(organization=request.organization) if unit else None
    grants = _unit_grants([unit]).get(unit.pk, []) if unit else []
    return render(
        request,
        "agency/unit_form.html",
        {"form": form, "unit": unit, "grant_form": grant_form, "grants": grants},
        status=400 if form.errors else 200,
    )


@require(Action.MANAGE_UNITS)
@require_POST
def unit_delete(request: OrganizationRequest, org_slug: str, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    if Membership.objects.filter(unit=unit).exists():
        messages.error(
            request,
            gettext("“%(name)s” is the home unit of members; move them to another unit first.")
            % {"name": unit.name},
        )
        return redirect("agency:unit_edit", org_slug=org_slug, unit_id=unit.pk)
    try:
        unit.delete()
    except ProtectedError:
        messages.error(
            request,
            gettext("“%(name)s” has sub-units; move or delete them before deleting it.")
            % {"name": unit.name},
        )
        return redirect("agency:unit_edit", org_slug=org_slug, unit_id=unit.pk)
    messages.success(request, gettext("The unit “%(name)s” was deleted.") % {"name": unit.name})
    return redirect("agency:units", org_slug=org_slug)


@require(Action.MANAGE_UNITS)
@require_POST
def unit_grant(request: OrganizationRequest, org_slug: str, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    if request.POST.get("revoke"):
        revoke = request.POST["revoke"]
        if not (
            revoke.isascii() and revoke.isdigit()
        ):  # a forged or mangled id: not found, like a foreign one
            raise Http404("No such member.")
        membership = get_object_or_404(Membership, user_id=int(revoke))
        remove_perm(UNIT_EDIT_PERMISSION, membership.user, unit)
        messages.success(
            request,
            gettext("%(display_name)s no longer edits “%(name)s” items.")
            % {"display_name": membership.user.display_name, "name": unit.name},
        )
        return redirect("agency:unit_edit", org_slug=org_slug, unit_id=unit.pk)
    form = UnitGrantForm(request.POST, organization=request.organization)
    if form.is_valid():
        user = form.cleaned_data["membership"].user
        assign_perm(Permission.objects.get(codename="edit_unit_items"), user, unit)
        messages.success(
            request,
            gettext("%(display_name)s may now edit the items of “%(name)s”.")
            % {"display_name": user.display_name, "name": unit.name},
        )
    else:
        messages.error(request, gettext("Choose an active contributor of this agency."))
    return redirect("agency:unit_edit", org_slug=org_slug, unit_id=unit.pk)


# --- Settings -------------------------------------------------------------------------------


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def organization_settings(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    # A fresh copy, so an invalid POST does not change the name shown in the header.
    organization = Organization.objects.get(pk=request.organization.pk)
    form = OrganizationSettingsForm(
        request.POST or None, request.FILES or None, instance=organization
    )
    if request.method == "POST" and form.is_valid():
        save_settings(form.save(commit=False), request.organization.fiscal_year_start_month)
        messages.success(request, gettext("The agency's settings were saved."))
        return redirect("agency:settings", org_slug=org_slug)
    return render(
        request,
        "agency/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
