"""The status badge every page uses: an icon and the word, never colour alone."""

from __future__ import annotations

import functools

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

ICONS = {
    "on_track": "check_circle",
    "at_risk": "warning",
    "off_track": "cancel",
    "no_data": "help_outline",
    "stale": "schedule",
}


@functools.cache
def _sprite() -> str:
    """The icon sprite's URL, resolved once (hashed-manifest lookups are not free)."""
    return static("uswds/img/sprite.svg")


def status_badge(value: str, label: str) -> SafeString:
    return format_html(
        '<span class="sh-status sh-status--{}"><svg class="usa-icon" aria-hidden="true" '
        'focusable="false" role="img"><use href="{}#{}"></use></svg> {}</span>',
        value,
        _sprite(),
        ICONS.get(value, "help_outline"),
        label,
    )
