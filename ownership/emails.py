"""How ownership sends its emails: one sender for alerts and digests, the signed
one-click unsubscribe token, and the mail errors a sending task retries on."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
UNSUBSCRIBE_SALT = "strategyhub.unsubscribe"


def unsubscribe_token(organization_id: int, user_id: int, kind: str) -> str:
    return signing.dumps({"o": organization_id, "u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def send(
    to: str, subject: str, template: str, context: dict[str, Any], unsubscribe: str | None
) -> None:
    """Send ``emails/<template>.txt`` with its HTML twin; with ``unsubscribe`` (a URL) the
    message carries the one-click List-Unsubscribe headers."""
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"emails/{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    if unsubscribe:
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.send()


def read_unsubscribe_token(token: str) -> dict[str, Any] | None:
    """The token's ``{"o": organization id, "u": user id, "k": kind}``, or None when it is
    forged or older than a year."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=dt.timedelta(days=365))
    except signing.BadSignature:
        return None
