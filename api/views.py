"""The Tokens page: a member's own API tokens in this agency; create (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens
from api.forms import TokenForm
from api.models import ApiToken
from strategyhub.http import OrganizationRequest


@require_http_methods(["GET", "POST"])
def token_list(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    membership = request.membership
    allowed = tokens.session_may_create_tokens(request, membership)
    form = TokenForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if not allowed:
            status = 403
        elif form.is_valid():
            try:
                issued = tokens.issue(
                    membership,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                )
            except tokens.TokenRefused as refusal:
                form.add_error(None, str(refusal))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    mine = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": mine, "issued": issued, "may_create": allowed},
        status=status,
    )
    add_never_cache_headers(response)  # a new token is on this page once
    return response


@require_POST
def token_revoke(request: OrganizationRequest, org_slug: str, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    tokens.revoke(token)
    messages.success(
        request,
        gettext("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name},
    )
    return redirect("api_tokens:list", org_slug=org_slug)
