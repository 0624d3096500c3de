"""The template tags every app's pages share (``{% load strategyhub_tags %}``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from strategyhub.status import Status
from strategyhub.ui import badges
from strategyhub.ui.formatting import format_score

register = template.Library()


@register.simple_tag
def status_badge(status: Status | str, label: str | None = None) -> SafeString:
    """A status's icon and word, so it never rests on colour alone (staff pages, OKR pages
    and the public pages). ``label`` shows a word kept elsewhere instead of the status's
    own: the public pages pass the one stored in the publication document."""
    return badges.status_badge(status, label=label)


@register.filter
def score(value):
    """A stored score for display (``format_score``: two places); no score stays None."""
    return format_score(value)
