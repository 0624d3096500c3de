"""How the project sends email: the one templated sender (a text body from
``templates/emails/<template>.txt`` with its HTML twin ``.html``), the absolute site address
for links in emails sent from background work (no request there), and the mail errors a
sending task retries on. Apps add only what is theirs (ownership: its unsubscribe headers)."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)

# Service accounts (``api.service_accounts``) have addresses in RFC 2606's reserved
# ``.invalid`` domain: no mail is ever sent there.
SERVICE_ACCOUNT_DOMAIN = "service-accounts.invalid"


def site_url(path: str) -> str:
    """``path`` (from ``reverse``, or "" for the home page) as an absolute address."""
    return settings.SITE_URL.rstrip("/") + path


def one_line(text: str) -> str:
    """``text`` with every control character and line break as a single space."""
    from strategyhub.validators import has_control_characters

    if not has_control_characters(text):
        return text
    return " ".join("".join(" " if has_control_characters(ch) else ch for ch in text).split())


def send_templated(
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    language: str | None = None,
) -> None:
    """Send ``emails/<template>.txt`` to ``to`` with ``emails/<template>.html`` as its HTML
    alternative, both rendered with ``context``; ``headers`` are added to the message.

    The subject is made one clean line: names are refused with control characters when
    they are entered (``strategyhub.validators.validate_plain_name``), and a name stored
    before that rule (or an item title that reaches a subject) must still not break the
    header or smuggle in another one.

    ``language``: the recipient's own language (``User.language``) when they chose one;
    else the active one (the agency's in its tasks). A subject passed in lazily
    (``gettext_lazy``) is translated in it too.

    Nothing is sent to a service account's address (:data:`SERVICE_ACCOUNT_DOMAIN`): a
    system is never reminded, digested or alerted, whatever reached this far."""
    if to.lower().endswith("@" + SERVICE_ACCOUNT_DOMAIN):
        return
    from strategyhub.language import supported

    with translation.override(supported(language) or translation.get_language()):
        message = EmailMultiAlternatives(
            subject=one_line(str(subject)),
            body=render_to_string(f"emails/{template}.txt", context),
            to=[to],
        )
        message.attach_alternative(
            render_to_string(f"emails/{template}.html", context), "text/html"
        )
    if headers:
        message.extra_headers.update(headers)
    message.send()
