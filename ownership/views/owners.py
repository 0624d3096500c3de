"""Changing owners from the ownership page: reassigning one item (in place with htmx, or on
a page of its own) and the admin's bulk transfer from one person to another."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ownership.forms import TransferForm
from ownership.owners import MODELS, OwnershipRefused, assign_owner, transfer_ownership
from strategyhub.forms import member_choices
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, MemberPermissions, require
from strategyhub.ui.pages import form_page


def _may_reassign(perms: MemberPermissions, item_type: str) -> bool:
    needed = (
        Action.EDIT_PLAN
        if item_type in ("strategic_objective", "measure")
        else (Action.EDIT_ALL_OKRS)
    )
    return perms.can(needed)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def reassign(
    request: OrganizationRequest, org_slug: str, item_type: str, item_id: int
) -> HttpResponse:
    if item_type not in MODELS:
        raise Http404
    target = get_object_or_404(MODELS[item_type], pk=item_id)  # another agency's: not found
    if not _may_reassign(request.perms, item_type):
        raise PermissionDenied
    if request.method == "GET":
        # The form alone (htmx, in place of the row's button) or on a page of its own.
        context = {
            "item": {"type": item_type, "id": item_id, "label": str(target)},
            "members": list(member_choices(request.organization)),
            "autofocus": True,
        }
        if request.htmx:
            return render(request, "ownership/_reassign.html", context)
        return render(request, "ownership/reassign.html", context)
    error = None
    try:
        user_id = int(request.POST.get("owner", ""))
    except ValueError:
        user_id, error = None, "Choose a person."
    item = None
    if error is None:
        try:
            item = assign_owner(item_type, item_id, user_id)
        except OwnershipRefused as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "ownership/page.html#gap-result",
            {"item": item, "error": error, "item_type": item_type, "item_id": item_id},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            gettext("“%(item)s” is now owned by %(display_name)s.")
            % {"item": item, "display_name": item.owner.display_name},
        )
    return redirect("ownership:page", org_slug)


@require(Action.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def transfer(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    """Hand over everything one person owns. GET shows the form on its own page (the
    ownership page links here in an agency too large to render two member pickers on it);
    the POST comes from either page."""
    if request.method == "GET":
        return form_page(
            request,
            TransferForm(organization=request.organization),
            title=gettext("Hand over everything one person owns"),
            back_url=reverse("ownership:page", args=[org_slug]),
        )
    form = TransferForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            moved = transfer_ownership(
                form.cleaned_data["from_user"].pk, form.cleaned_data["to_user"].pk
            )
        except OwnershipRefused as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            giver = form.cleaned_data["from_user"].display_name
            taker = form.cleaned_data["to_user"].display_name
            messages.success(
                request,
                gettext("%(sum)s item(s) moved from %(giver)s to %(taker)s.")
                % {"sum": sum(moved.values()), "giver": giver, "taker": taker},
            )
    else:
        messages.error(
            request, gettext("Choose who hands over and an active member who takes over.")
        )
    return redirect("ownership:page", org_slug)
