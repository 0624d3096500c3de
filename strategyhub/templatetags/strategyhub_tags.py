"""The template tags every app's pages share (``{% load strategyhub_tags %}``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from strategyhub.status import Status
from strategyhub.ui import badges, header
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


@register.simple_tag
def select_options(choices, selected: str = "") -> SafeString:
    """The ``<option>`` elements of a filter's select from ``(value, label)`` pairs, the one
    whose value equals ``selected`` (a query-string value) marked selected. Built in one
    call with ``escape_text`` (what ``format_html_join`` gives, without its ``SafeString``
    per argument): a large agency's owner filter lists hundreds of members, and both a
    template loop and ``format_html`` per option cost milliseconds there (issue 17)."""
    from strategyhub.ui.markup import escape_text

    selected = str(selected)
    return mark_safe(  # noqa: S308 (every value and label escaped)
        "".join(
            f'<option value="{escape_text(value)}"'
            f"{' selected' if str(value) == selected else ''}>{escape_text(label)}</option>"
            for value, label in choices
        )
    )


@register.simple_tag
def completion_bar(done: int, total: int) -> SafeString:
    """How many of ``total`` are done, as a bar with "3 of 5" beside it."""
    from strategyhub.ui import progress

    return progress.completion_bar(done, total)


@register.simple_tag(takes_context=True)
def staff_header(context) -> SafeString:
    """The staff header (``strategyhub.ui.header``: made once per role, page and language)."""
    return header.staff_header(context)
