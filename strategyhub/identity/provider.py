"""allauth finds the providers of an installed app in its ``provider`` module: the
agencies' OpenID Connect provider (strategyhub/identity/sso/oidc.py)."""

from strategyhub.identity.sso.oidc import AgencyOIDCProvider

provider_classes = [AgencyOIDCProvider]
