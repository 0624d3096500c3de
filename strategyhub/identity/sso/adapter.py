"""allauth's socialaccount adapter for the agencies' providers.

- **Apps** are the agencies' ``IdentityProvider`` rows (``list_apps``), their secrets
  decrypted only here, in memory: there are no ``SocialApp`` rows.
- **Fetches** (discovery, keys, tokens) go through ``fetch.session()``: https only, public
  addresses only.
- **No takeover** (``pre_social_login``): an identity the provider asserts is used when it is
  already linked to an account (``SocialAccount``, per agency and issuer), or linked by the
  signed-in person themselves (``process=connect``, from their profile), or when its email
  address is in a domain verified for *this* agency: then it is linked to the account with
  that address, or a new account is made. Anything else is refused: never linked by email
  alone.
- **Provisioning**: a person let in becomes (or stays) a member with the role their claims
  give (``provisioning.admit``); refused, they are deprovisioned.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest
from django.shortcuts import render
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity import encryption
from strategyhub.identity.sso import fetch, provisioning
from strategyhub.identity.sso.domains import domain_of, is_verified_for
from strategyhub.identity.sso.models import ClientAuth, IdentityProvider, Protocol
from strategyhub.identity.sso.signins import claims_of_data
from strategyhub.models import Membership, User

PROVIDER_OF_PROTOCOL = {Protocol.OIDC: "agency_oidc", Protocol.SAML: "saml"}
ROLE_KEY = "_strategyhub_role"


def app_for(provider: IdentityProvider) -> SocialApp:
    """The allauth app of an agency's provider (not saved: built from our row)."""
    organization = provider.organization
    settings: dict[str, Any] = {"organization_id": organization.pk, "app_id": provider.app_id}
    secret = ""
    if provider.protocol == Protocol.OIDC:
        settings.update(
            server_url=provider.issuer,
            issuer=provider.issuer,
            token_auth_method=provider.client_auth,
            oauth_pkce_enabled=True,
            fetch_userinfo=True,
            scope=["openid", "profile", "email"]
            + (["offline_access"] if provider.offline_access else []),
        )
        if provider.client_auth == ClientAuth.PRIVATE_KEY_JWT and provider.signing_key_encrypted:
            settings["private_key"] = encryption.decrypt(provider.signing_key_encrypted)
            settings["key_id"] = provider.app_id
        elif provider.client_secret_encrypted:
            secret = encryption.decrypt(provider.client_secret_encrypted)
        client_id = provider.client_id
    else:
        from strategyhub.identity.sso.saml import saml_settings

        settings.update(saml_settings(provider))
        client_id = organization.slug  # allauth's SAML URLs name the "organization" by it
    return SocialApp(
        provider=PROVIDER_OF_PROTOCOL[Protocol(provider.protocol)],
        provider_id=provider.app_id,
        name=provider.label,
        client_id=client_id,
        secret=secret,
        settings=settings,
    )


def provider_of_app(app: SocialApp) -> IdentityProvider:
    with scopes_disabled():
        return IdentityProvider._base_manager.select_related("organization").get(
            app_id=app.settings["app_id"]
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        with scopes_disabled():
            rows = IdentityProvider._base_manager.select_related("organization").filter(
                enabled=True, organization__is_active=True
            )
            if provider in PROVIDER_OF_PROTOCOL.values():
                protocol = next(p for p, name in PROVIDER_OF_PROTOCOL.items() if name == provider)
                rows = rows.filter(protocol=protocol)
            elif provider:
                rows = rows.filter(app_id=provider)
            apps = [app_for(row) for row in rows]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    def get_requests_session(self) -> fetch.PublicOnlySession:
        return fetch.session()

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """A new account only for an address in a domain verified for the provider's agency
        (``pre_social_login`` refused everything else already)."""
        provider = provider_of_app(sociallogin.provider.app)
        email = _email_of(sociallogin)
        return bool(email) and is_verified_for(provider.organization, email)

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = provider_of_app(sociallogin.provider.app)
        organization = provider.organization
        claims = claims_of(sociallogin)
        role = provisioning.role_for(provider, provisioning.groups_of(provider, claims))
        setattr(sociallogin, ROLE_KEY, role)
        if sociallogin.state.get("process") == "connect":
            user = request.user
            if not (user.is_authenticated and _is_member(user, organization)):
                _refuse(
                    request,
                    f"Only members of {organization.name} can link its identity provider.",
                )
            return  # the person, signed in, links the identity to their own account
        if sociallogin.is_existing:
            self._admit(request, provider, sociallogin.user, role)
            return
        email = _email_of(sociallogin)
        if not email or not is_verified_for(organization, email):
            _refuse(
                request,
                f"{organization.name}'s identity provider signed you in as "
                f"{email or 'a person without an email address'}, but "
                f"{domain_of(email) if email else 'that'} is not an email domain verified for "
                f"{organization.name}, so StrategyHub cannot tell that the address is yours. "
                "If you have a StrategyHub account, sign in with your password, then open "
                f"{organization.name}'s single sign-on page and choose “Link”; otherwise ask "
                "the agency's admin.",
            )
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            if not existing.is_active:
                _refuse(request, "This account is deactivated.")
            self._admit(request, provider, existing, role)
            sociallogin.connect(request, existing)  # the domain is the agency's: its word holds
        elif role is None:
            _refuse(
                request,
                f"{organization.name}'s identity provider signed you in, but none of your "
                "groups there gives access to its StrategyHub. Ask the agency's admin.",
            )

    def _admit(
        self, request: HttpRequest, provider: IdentityProvider, user: User, role: str | None
    ) -> None:
        try:
            provisioning.admit(provider, user, role)
        except provisioning.Refused as exc:
            _refuse(request, str(exc))

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        """A new account (its address in the agency's verified domain), made a member."""
        user = super().save_user(request, sociallogin, form)
        provider = provider_of_app(sociallogin.provider.app)
        self._admit(request, provider, user, getattr(sociallogin, ROLE_KEY, None))
        return user

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if name and hasattr(user, "full_name"):
            user.full_name = str(name)[:150]
        user.set_unusable_password()
        return user

    def on_authentication_error(self, request: HttpRequest, provider: Any, **kwargs: Any) -> None:
        import logging

        logging.getLogger("strategyhub.identity.sso").warning(
            "SSO sign-in failed at %s: %s %s",
            getattr(getattr(provider, "app", None), "provider_id", provider),
            kwargs.get("error"),
            kwargs.get("exception"),
        )


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """The identity's claims (OpenID Connect: userinfo over the ID token; SAML: its
    attributes, each a list)."""
    return claims_of_data(sociallogin.account.extra_data or {})


def _email_of(sociallogin: SocialLogin) -> str:
    for address in sociallogin.email_addresses:
        if address.email:
            return str(address.email).strip().lower()
    email = getattr(sociallogin.user, "email", "") or ""
    return str(email).strip().lower()


def _is_member(user: Any, organization: Any) -> bool:
    with scopes_disabled():
        return Membership._base_manager.filter(
            organization=organization, user=user, is_active=True
        ).exists()


def _refuse(request: HttpRequest, message: str) -> None:
    raise ImmediateHttpResponse(
        render(request, "account/sso_refused.html", {"message": message}, status=403)
    )
