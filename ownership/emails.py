"""What is ownership's in its emails (sent with ``strategyhub.emails.send_templated``): the
signed one-click unsubscribe token and the List-Unsubscribe headers an alert email carries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing

UNSUBSCRIBE_SALT = "strategyhub.unsubscribe"


def unsubscribe_token(organization_id: int, user_id: int, kind: str) -> str:
    return signing.dumps({"o": organization_id, "u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_headers(unsubscribe: str) -> dict[str, str]:
    """The one-click List-Unsubscribe headers (RFC 8058) for the unsubscribe URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_unsubscribe_token(token: str) -> dict[str, Any] | None:
    """The token's ``{"o": organization id, "u": user id, "k": kind}``, or None when it is
    forged or older than a year."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=dt.timedelta(days=365))
    except signing.BadSignature:
        return None
