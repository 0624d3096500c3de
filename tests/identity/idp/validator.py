"""The test provider's claims (email, name, groups, amr) and client authentication by a
signed key assertion (private_key_jwt, RFC 7523), which django-oauth-toolkit lacks: the
assertion is checked with the public key registered for the client (``control.KEYS``)."""

import time

import jwt
from django.conf import settings
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SEEN_JTI: set[str] = set()


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": f"{user.first_name} {user.last_name}".strip() or user.username,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "amr": ["pwd"],
        }

    def _assertion(self, request):
        body = dict(request.decoded_body or [])
        if body.get("client_assertion_type") != ASSERTION_TYPE:
            return None
        return body.get("client_assertion")

    def client_authentication_required(self, request, *args, **kwargs):
        if self._assertion(request):
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def authenticate_client(self, request, *args, **kwargs):
        assertion = self._assertion(request)
        if assertion is None:
            return super().authenticate_client(request, *args, **kwargs)
        from tests.identity.idp.control import KEYS

        try:
            unverified = jwt.decode(assertion, options={"verify_signature": False})
            client_id = unverified["iss"]
            key = KEYS[client_id]
            claims = jwt.decode(
                assertion,
                key,
                algorithms=["RS256"],
                audience=f"{settings.ISSUER}/token/",
                issuer=client_id,
            )
        except (jwt.PyJWTError, KeyError):
            return False
        if (
            claims.get("sub") != client_id
            or claims["jti"] in SEEN_JTI
            or claims["exp"] < time.time()
        ):
            return False
        SEEN_JTI.add(claims["jti"])
        request.client = get_application_model().objects.filter(client_id=client_id).first()
        request.client_id = client_id
        return request.client is not None
