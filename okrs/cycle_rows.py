"""The cycle overview's repeated links written in Python (``okrs/cycle.html``): the cycle
switcher's items, one per cycle of the agency (four quarters and a year for every fiscal
year: twenty and more on a large agency).

The template's loop reversed an address and compared two ids per cycle, which cost more
than the rest of the switcher (issue 17); here the address is reversed once and each id
put in it. The markup is the template's (``tests/okrs/test_cycle_rows.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from okrs.models import Cycle
from strategyhub.ui.markup import escape_text


def cycle_links(cycles: Iterable[Cycle], current: Cycle, slug: str) -> SafeString:
    """An ``<li>`` with a link to each cycle's overview, the shown one marked current."""
    head, tail = reverse("okrs:cycle_detail", args=[slug, 0]).rsplit("/0/", 1)
    here = ' aria-current="page"'
    return mark_safe(  # noqa: S308 (ids and escaped labels only)
        "".join(
            f'<li><a class="usa-link" href="{head}/{c.pk}/{tail}"'
            f"{here if c.pk == current.pk else ''}>"
            f"{escape_text(c.label)}</a></li>"
            for c in cycles
        )
    )
