"""The rows of the plan overview's summary tables (``plan.html`` above
``OVERVIEW_MEASURE_LIMIT`` measures): each objective shown with its status, how many of its
measures have each status, and its owner; and the perspectives' addresses.

Made in Python rather than by the template's loop: the overview shows twelve objectives for
each perspective, and the template engine's cost per row (a ``{% url %}`` reversal, a tag
call for the badge, a loop with a filter over the counts) was a third of the page's first
build (issue 17). The page's structure stays in the template; the markup here is the one
the template wrote (``tests/scorecards/test_plan_rows.py`` compares the two). The words are
looked up once per table, the addresses reversed once per page with the ids appended, every
text from the database escaped once where it is placed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub.ui.badges import status_badge
from strategyhub.ui.markup import escape_text

if TYPE_CHECKING:
    from scorecards.summary import ObjectiveSummary


def url_with_id(name: str, *args: object) -> Callable[[int], str]:
    """``reverse(name, args=[*args, pk])`` for any ``pk``, reversed once: the address is
    reversed around the id 0 and the id put in its place."""
    head, tail = reverse(name, args=[*args, 0]).rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


def objective_rows(
    objectives: Iterable[ObjectiveSummary], objective_url: Callable[[int], str]
) -> SafeString:
    """The ``<tr>`` of each objective of a perspective's summary table."""
    no_measure = escape_text(gettext("No measure yet"))
    no_owner_word = gettext("No owner")  # outside the f-string: makemessages reads it there
    no_owner = f'<span class="sh-unowned">{escape_text(no_owner_word)}</span>'
    lowered: dict[str, str] = {}  # each status's word, lower-cased and escaped once
    parts = []
    for row in objectives:
        counts = []
        for _, label, count in row.counts:
            word = lowered.get(label)
            if word is None:
                word = lowered[label] = escape_text(str(label).lower())
            counts.append(f"{count} {word}")
        parts.append(
            "<tr>"
            f'<th scope="row"><a class="usa-link" href="{objective_url(row.pk)}">'
            f"{escape_text(row.title)}</a></th>"
            f"<td>{status_badge(row.status)}</td>"
            f"<td>{', '.join(counts) if counts else no_measure}</td>"
            f"<td>{escape_text(row.owner_name) if row.owner_name else no_owner}</td>"
            "</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped where it is placed)
