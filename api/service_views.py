"""The Service accounts page (``/o/<slug>/api-tokens/service-accounts/``, admins): make a
service account, issue its tokens (each shown once), revoke them. Deactivating one is done
on the Members page, as for a person."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from api import service_accounts, tokens
from api.forms import ServiceAccountForm, ServiceTokenForm
from api.models import ApiToken
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


def _token_form(membership_id: int, data=None) -> ServiceTokenForm:
    return ServiceTokenForm(data, prefix=f"account-{membership_id}")


def _page(
    request: OrganizationRequest,
    *,
    form: ServiceAccountForm | None = None,
    token_forms: dict[int, ServiceTokenForm] | None = None,
    issued: tokens.Issued | None = None,
    status: int = 200,
) -> HttpResponse:
    accounts = service_accounts.of(request.organization)
    token_forms = token_forms or {}
    rows = [
        (account, token_forms.get(account.membership.pk) or _token_form(account.membership.pk))
        for account in accounts
    ]
    response = render(
        request,
        "api/service_accounts.html",
        {
            "rows": rows,
            "form": form or ServiceAccountForm(),
            "issued": issued,
            "may_create_tokens": tokens.session_may_create_tokens(request, request.membership),
        },
        status=status,
    )
    add_never_cache_headers(response)  # a new token is on this page once
    return response


@require(Action.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def accounts(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    form = ServiceAccountForm(request.POST)
    if form.is_valid():
        try:
            membership = service_accounts.create(
                request.organization,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        except service_accounts.ServiceAccountRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(
                request,
                gettext("The service account “%(name)s” was made; now issue it a token.")
                % {"name": membership.user.full_name},
            )
            return redirect("api_tokens:service_accounts", org_slug=org_slug)
    return _page(request, form=form, status=400)


@require(Action.MANAGE_MEMBERS)
@require_POST
def issue_token(request: OrganizationRequest, org_slug: str, membership_id: int) -> HttpResponse:
    membership = service_accounts.account(request.organization, membership_id)
    if membership is None:
        raise Http404
    if not tokens.session_may_create_tokens(request, request.membership):
        return _page(request, status=403)
    form = _token_form(membership.pk, request.POST)
    if form.is_valid():
        try:
            issued = service_accounts.issue_token(
                membership,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                by=request.user,
            )
        except service_accounts.ServiceAccountRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _page(request, issued=issued)
    return _page(request, token_forms={membership.pk: form}, status=400)


@require(Action.MANAGE_MEMBERS)
@require_POST
def revoke_token(
    request: OrganizationRequest, org_slug: str, membership_id: int, token_id: int
) -> HttpResponse:
    membership = service_accounts.account(request.organization, membership_id)
    if membership is None:
        raise Http404
    token = get_object_or_404(ApiToken, pk=token_id, user_id=membership.user_id)
    tokens.revoke(token)
    messages.success(
        request,
        gettext("The token “%(name)s” of %(account)s was revoked; it no longer works.")
        % {"name": token.name, "account": membership.user.full_name},
    )
    return redirect("api_tokens:service_accounts", org_slug=org_slug)
