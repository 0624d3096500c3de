"""Which language a page, an email or a task speaks (docs/ui-language.md).

The order: a person's own preference (``User.language``), then their agency's
(``Organization.language``), then the browser's (``Accept-Language``, read by Django's
``LocaleMiddleware``). An agency may leave its language empty to let each browser decide.
Public pages speak the agency's language unless the address asks for another
(``?lang=es``): residents are not signed in, and the public page cache is keyed by address,
so the browser's header is not used there. Background tasks of an agency speak its language
(``strategyhub.background.TenantTask``); an email to one person speaks theirs when they
chose one (``strategyhub.emails.send_templated(language=…)``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    # Each language is named in itself, so a person can find theirs whatever is active.
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


PERSON_CHOICES = [("", _("My agency's language")), *Language.choices]
AGENCY_CHOICES = [*Language.choices, ("", _("Each person's browser language"))]
QUERY_PARAMETER = "lang"


def supported(code: str | None) -> str | None:
    """``code`` when it is one of ``settings.LANGUAGES`` (or a variant such as "es-MX" of
    one), else None."""
    if not code:
        return None
    base = code.strip().lower().split("-")[0]
    return base if base in dict(settings.LANGUAGES) else None


def choose(*preferences: str | None, fallback: str | None = None) -> str:
    """The first supported language of ``preferences`` (in order), else ``fallback`` (the
    browser's, as ``LocaleMiddleware`` activated it), else the default."""
    for preference in preferences:
        found = supported(preference)
        if found:
            return found
    return supported(fallback) or supported(settings.LANGUAGE_CODE) or "en"


def for_staff(user, organization) -> str:
    """A signed-in person's language on their agency's pages: theirs, the agency's, the
    browser's."""
    return choose(
        getattr(user, "language", None),
        organization.language if organization is not None else None,
        fallback=translation.get_language(),
    )


def for_public(requested: str | None, organization) -> str:
    """A public page's language: the address's ``?lang``, else the agency's (else the
    default)."""
    return choose(requested, organization.language, fallback=settings.LANGUAGE_CODE)


def for_recipient(user, organization=None) -> str:
    """The language of an email to one person: theirs, else their agency's, else the active
    one (the agency's in its tasks, ``TenantTask``). Passed to
    ``strategyhub.emails.send_templated(language=…)``."""
    return choose(
        getattr(user, "language", None),
        organization.language if organization is not None else None,
        fallback=translation.get_language(),
    )
