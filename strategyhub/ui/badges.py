"""The status badge every page uses: an icon and the word, never colour alone. The icon
and the word come from the one ``strategyhub.status.Status``."""

from __future__ import annotations

import functools

from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from strategyhub.status import Status


@functools.cache
def _sprite() -> str:
    """The icon sprite's URL, resolved once (hashed-manifest lookups are not free)."""
    return static("uswds/img/sprite.svg")


def status_badge(status: Status | str, label: str | None = None) -> SafeString:
    """The badge of ``status`` (a ``Status`` or its value, as templates pass it), with
    ``label`` as its word when given: the public pages show the word their publication
    document stored (and, for a value this version does not know, the no-data icon).
    A page shows hundreds of badges of a handful of kinds: each is made once per status,
    word and language (the output depends on nothing else)."""
    return _badge(str(status), None if label is None else str(label), translation.get_language())


@functools.lru_cache(maxsize=512)
def _badge(value: str, label: str | None, language: str | None) -> SafeString:
    if label is None:
        known: Status = Status(value)
        label = known.label
    else:
        known = Status(value) if value in set(Status) else Status.NO_DATA
    return format_html(
        '<span class="sh-status sh-status--{}"><svg class="usa-icon" aria-hidden="true" '
        'focusable="false" role="img"><use href="{}#{}"></use></svg> {}</span>',
        value,
        _sprite(),
        known.icon,
        label,
    )
