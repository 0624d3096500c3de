"""An agency's OpenID Connect provider: allauth's ``openid_connect`` provider, with the one
thing it lacks for Login.gov: client authentication by a signed key assertion
(``private_key_jwt``, RFC 7523), beside a client secret. PKCE is always on.

The provider is registered as ``agency_oidc`` (``strategyhub/identity/provider.py``); its
apps are each agency's ``IdentityProvider`` rows (``adapter.SocialAccountAdapter.list_apps``).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from strategyhub.identity.sso.models import ClientAuth

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 300


def client_assertion(client_id: str, audience: str, private_key_pem: str, kid: str) -> str:
    """A signed JWT proving the client (RFC 7523 section 2.2), good for five minutes."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECONDS,
    }
    return jwt.encode(claims, private_key_pem, algorithm="RS256", headers={"kid": kid})


def client_auth_fields(app: SocialApp, token_endpoint: str) -> tuple[dict[str, str], Any]:
    """The form fields and the HTTP auth that authenticate ``app`` at ``token_endpoint``."""
    method = app.settings.get("token_auth_method")
    if method == ClientAuth.PRIVATE_KEY_JWT:
        assertion = client_assertion(
            app.client_id, token_endpoint, app.settings["private_key"], app.settings["key_id"]
        )
        return {
            "client_id": app.client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        }, None
    if method == ClientAuth.SECRET_BASIC:
        import requests

        return {}, requests.auth.HTTPBasicAuth(app.client_id, app.secret)
    return {"client_id": app.client_id, "client_secret": app.secret}, None


class PrivateKeyJWTClient(OAuth2Client):
    """allauth's client, authenticating with a key assertion instead of a secret."""

    def __init__(self, *args: Any, app: SocialApp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = app
        self.consumer_secret = ""  # never sent (empty fields are left out)

    def get_access_token(
        self, code: str, pkce_code_verifier: str | None = None, extra_data: dict | None = None
    ) -> Any:
        fields, _ = client_auth_fields(self.app, self.access_token_url)
        return super().get_access_token(
            code, pkce_code_verifier=pkce_code_verifier, extra_data={**(extra_data or {}), **fields}
        )


class AgencyOIDCAdapter(OpenIDConnectOAuth2Adapter):
    @property
    def openid_config(self) -> dict:
        if not hasattr(self, "_openid_config"):
            config = super().openid_config
            expected = self.get_provider().app.settings.get("issuer", "").rstrip("/")
            if expected and str(config.get("issuer", "")).rstrip("/") != expected:
                # OpenID Connect Discovery 1.0, section 4.3: the document names its issuer.
                raise OAuth2Error("The provider's discovery document names another issuer.")
        return self._openid_config

    @property
    def basic_auth(self) -> bool:
        return self.get_provider().app.settings.get("token_auth_method") == ClientAuth.SECRET_BASIC

    def get_client(self, request: HttpRequest, app: SocialApp) -> OAuth2Client:
        if app.settings.get("token_auth_method") != ClientAuth.PRIVATE_KEY_JWT:
            return super().get_client(request, app)
        return PrivateKeyJWTClient(
            self.request,
            app.client_id,
            "",
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            scope_delimiter=self.scope_delimiter,
            headers=self.headers,
            basic_auth=False,
            app=app,
        )

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        url = reverse("agency_oidc_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)


class AgencyOIDCProvider(OpenIDConnectProvider):
    id = "agency_oidc"
    name = "Agency OpenID Connect"
    package = "strategyhub.identity.sso"
    oauth2_adapter_class = AgencyOIDCAdapter
    pkce_enabled_default = True
    supports_token_authentication = False

    def get_default_scope(self) -> list[str]:
        return ["openid", "profile", "email"]


@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2LoginView.adapter_view(AgencyOIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2CallbackView.adapter_view(AgencyOIDCAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
