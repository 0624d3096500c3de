"""The agency admin's single sign-on pages, under ``/o/<slug>/settings/sign-in/``: the
identity provider (OpenID Connect or SAML), its signing key, the group-to-role mapping,
and the agency's email domains."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from strategyhub.http import OrganizationRequest
from strategyhub.identity.sso import configure, domains
from strategyhub.identity.sso.forms import DomainForm, MailboxForm, MappingForm, OidcForm, SamlForm
from strategyhub.identity.sso.models import ClientAuth, EmailDomain, Protocol
from strategyhub.permissions import Action, require


def _provider_page(request: OrganizationRequest, provider, forms: dict, status: int = 200):
    organization = request.organization
    return render(
        request,
        "agency/sso_provider.html",
        {
            "provider": provider,
            "callback_url": request.build_absolute_uri(
                reverse("agency_oidc_callback", kwargs={"provider_id": provider.app_id})
            )
            if provider.pk and provider.protocol == Protocol.OIDC
            else "",
            "saml_urls": _saml_urls(request, organization.slug),
            "mapping_form": forms.get("mapping")
            or MappingForm(initial={"role_mapping": configure.mapping_text(provider)}),
            "oidc_form": forms.get("oidc") or OidcForm.for_provider(provider),
            "saml_form": forms.get("saml") or SamlForm(initial=_saml_initial(provider)),
        },
        status=status,
    )


def _saml_urls(request: OrganizationRequest, slug: str) -> dict[str, str]:
    return {
        name: request.build_absolute_uri(reverse(f"saml_{name}", args=[slug]))
        for name in ("metadata", "acs", "sls")
    }


def _saml_initial(provider) -> dict:
    return {
        "metadata_url": provider.saml_metadata_url,
        "display_name": provider.display_name,
        "default_role": provider.default_role,
        "group_claim": provider.group_claim,
        "enabled": provider.enabled if provider.pk else True,
    }


def _field_error(form, exc: configure.ConfigurationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def sso_provider(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    """The provider's settings; a POST saves them as OpenID Connect."""
    provider = configure.provider_for_editing(request.organization)
    if request.method == "GET":
        return _provider_page(request, provider, {})
    form = OidcForm.for_provider(provider, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            configure.save_oidc(
                request.organization,
                configure.OidcSettings(
                    issuer=data["issuer"],
                    client_id=data["client_id"],
                    client_auth=data["client_auth"],
                    client_secret=data["client_secret"],
                    display_name=data["display_name"],
                    default_role=data["default_role"],
                    group_claim=data["group_claim"],
                    enabled=data["enabled"],
                ),
            )
        except configure.ConfigurationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, gettext("The OpenID Connect provider was saved."))
            return redirect("agency:sso_provider", org_slug=org_slug)
    return _provider_page(request, provider, {"oidc": form}, status=400)


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_saml(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    from strategyhub.identity.sso import saml

    provider = configure.provider_for_editing(request.organization)
    form = SamlForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saml.save_saml(
                request.organization,
                saml.SamlSettings(
                    metadata_url=data["metadata_url"],
                    metadata_xml=data["metadata_xml"],
                    display_name=data["display_name"],
                    default_role=data["default_role"],
                    group_claim=data["group_claim"],
                    enabled=data["enabled"],
                ),
            )
        except configure.ConfigurationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, gettext("The SAML provider was saved."))
            return redirect("agency:sso_provider", org_slug=org_slug)
    return _provider_page(request, provider, {"saml": form}, status=400)


def _existing_provider(request: OrganizationRequest):
    provider = configure.provider_for_editing(request.organization)
    if not provider.pk:
        raise Http404
    return provider


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_key(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    provider = _existing_provider(request)
    if provider.client_auth != ClientAuth.PRIVATE_KEY_JWT or provider.protocol != Protocol.OIDC:
        messages.error(
            request, gettext("Only a provider that uses a signed key assertion has a key.")
        )
    else:
        configure.rotate_signing_key(provider)
        messages.success(
            request,
            gettext(
                "A new signing key was made. Register its certificate with the provider: "
                "sign-ins fail until you do."
            ),
        )
    return redirect("agency:sso_provider", org_slug=org_slug)


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_mapping(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    provider = _existing_provider(request)
    form = MappingForm(request.POST)
    if form.is_valid():
        try:
            configure.save_mapping(provider, form.cleaned_data["role_mapping"])
        except configure.ConfigurationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, gettext("The group mapping was saved."))
            return redirect("agency:sso_provider", org_slug=org_slug)
    return _provider_page(request, provider, {"mapping": form}, status=400)


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_remove(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    configure.remove_provider(_existing_provider(request))
    messages.success(
        request, gettext("The identity provider was removed; people sign in with passwords.")
    )
    return redirect("agency:sso_provider", org_slug=org_slug)


def _domains_page(request: OrganizationRequest, form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "agency/sso_domains.html",
        {
            "domains": EmailDomain.objects.filter(organization=request.organization),
            "form": form or DomainForm(),
            "mailbox_form": MailboxForm(),
        },
        status=status,
    )


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def sso_domains(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    if request.method == "GET":
        return _domains_page(request)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            row = domains.claim(request.organization, form.cleaned_data["domain"])
        except domains.DomainError as exc:
            form.add_error("domain", str(exc))
        else:
            messages.success(
                request,
                gettext("%(domain)s was added. Verify it to use it for sign-in.")
                % {"domain": row.domain},
            )
            return redirect("agency:sso_domains", org_slug=org_slug)
    return _domains_page(request, form, status=400)


def _domain(request: OrganizationRequest, domain_id: int) -> EmailDomain:
    row = EmailDomain.objects.filter(organization=request.organization, pk=domain_id).first()
    if row is None:
        raise Http404
    return row


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_domain_verify(request: OrganizationRequest, org_slug: str, domain_id: int) -> HttpResponse:
    row = _domain(request, domain_id)
    try:
        if "mailbox" in request.POST:
            form = MailboxForm(request.POST)
            if not form.is_valid():
                raise domains.DomainError(
                    gettext("Choose one of the domain's administrative mailboxes.")
                )
            address = domains.send_mailbox_link(row, form.cleaned_data["mailbox"])
            messages.success(
                request,
                gettext("A confirmation link was sent to %(address)s.") % {"address": address},
            )
        else:
            domains.verify_by_dns(row, request.user)
            messages.success(request, gettext("%(domain)s is verified.") % {"domain": row.domain})
    except domains.DomainError as exc:
        messages.error(request, str(exc))
    return redirect("agency:sso_domains", org_slug=org_slug)


@require(Action.MANAGE_SETTINGS)
@require_POST
def sso_domain_remove(request: OrganizationRequest, org_slug: str, domain_id: int) -> HttpResponse:
    row = _domain(request, domain_id)
    domains.remove(row)
    messages.success(request, gettext("%(domain)s was removed.") % {"domain": row.domain})
    return redirect("agency:sso_domains", org_slug=org_slug)
