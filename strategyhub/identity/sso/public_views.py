"""Single sign-on pages outside any agency: find your agency's provider by your email
address (``/accounts/sso/``), start a sign-in through an agency's provider
(``/accounts/sso/<agency>/``: a button, so that a link alone never starts one), and confirm
a domain from the link mailed to its mailbox."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity.sso import domains
from strategyhub.identity.sso.models import IdentityProvider, Protocol
from strategyhub.ui.forms import UswdsFormMixin


class FindProviderForm(UswdsFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _enabled_provider(slug: str) -> IdentityProvider | None:
    with scopes_disabled():
        return (
            IdentityProvider._base_manager.select_related("organization")
            .filter(organization__slug=slug, organization__is_active=True, enabled=True)
            .first()
        )


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    form = FindProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = domains.verified_owner(form.cleaned_data["email"])
        if organization is not None and _enabled_provider(organization.slug) is not None:
            return redirect("sso_start", agency=organization.slug)
        form.add_error(
            "email",
            "No agency signs in this address's domain through single sign-on. Sign in with "
            "your email address and password instead.",
        )
    return render(
        request, "account/sso_choose.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET"])
def start(request: HttpRequest, agency: str) -> HttpResponse:
    provider = _enabled_provider(agency)
    if provider is None:
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if provider.protocol == Protocol.OIDC:
        action = reverse("agency_oidc_login", kwargs={"provider_id": provider.app_id})
    else:
        action = reverse("saml_login", kwargs={"organization_slug": provider.organization.slug})
    response = render(
        request,
        "account/sso_start.html",
        {
            "provider": provider,
            "agency": provider.organization,
            "action": action,
            "next": next_url or reverse("agency:dashboard", kwargs={"org_slug": agency}),
        },
    )
    if provider.form_origin:
        # The button posts here, and the answer redirects to the provider: browsers hold
        # that redirect to ``form-action`` too, so this page allows the provider's origin.
        response._csp_update = {"form-action": [provider.form_origin]}  # type: ignore[attr-defined]
    return response


@require_http_methods(["GET", "POST"])
def confirm_domain(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to a domain's mailbox: a button confirms (a mail scanner that opens
    the link confirms nothing)."""
    try:
        row = domains.row_of_link(token)
        if request.method == "POST":
            domains.confirm_mailbox(token)
            messages.success(
                request,
                gettext("%(domain)s is verified for %(agency)s.")
                % {"domain": row.domain, "agency": row.organization.name},
            )
            return render(request, "account/domain_confirmed.html", {"row": row})
    except domains.DomainError as exc:
        return render(request, "account/domain_confirm.html", {"error": str(exc)}, status=400)
    return render(request, "account/domain_confirm.html", {"row": row})
