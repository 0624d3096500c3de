"""The ownership page's tables written in Python: the two tallies (by kind, by unit) and the
rows of the shown gaps.

Made here rather than by the template engine: a large agency's page has about fifty tally
rows and 25 gap rows, each with a reassignment link, and the engine's cost per row (context
pushes, variable lookups, a ``{% url %}`` per link) was a third of the page's first build
(issue 17). The markup is the one the templates made; the words are looked up once per table
with ``gettext`` (the same messages), every text from the database is escaped once, where it
is placed, and each kind of link is reversed once per page, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ownership.report import ITEM_URL_NAMES
from strategyhub.ui.markup import escape_text

if TYPE_CHECKING:
    from ownership.report import OwnedItem

__all__ = ["GapLinks", "gap_rows", "tally_table"]

_STATES = ("active", "stale", "owner_inactive", "unowned")  # the tally's columns, in order
_PLAN_TYPES = ("strategic_objective", "measure")  # reassigned by plan editors


def tally_table(
    rows: Iterable[tuple[str, dict[str, int], int]], caption: str, first: str
) -> SafeString:
    """A tally (``ownership.report.Report.by_type`` or ``by_unit``): a row per group with
    its count per owner state and its total, ``first`` heading the groups' column."""
    # Each word a literal (makemessages reads no call in an f-string, nor of a variable).
    words = (gettext("Active"), gettext("Stale"), gettext("Owner inactive"), gettext("Unowned"))
    head = "".join(
        f'<th scope="col" class="text-right">{escape_text(word)}</th>'
        for word in (*words, gettext("All"))
    )
    nothing = escape_text(gettext("Nothing yet."))
    body = (
        "".join(
            f'<tr><th scope="row">{escape_text(name)}</th>'
            + "".join(f'<td class="text-right">{counts[state]}</td>' for state in _STATES)
            + f'<td class="text-right">{total}</td></tr>'
            for name, counts, total in rows
        )
        or f'<tr><td colspan="6">{nothing}</td></tr>'
    )
    return mark_safe(  # noqa: S308 (every text escaped where it is placed)
        '<table class="usa-table usa-table--borderless width-full">\n'
        f'  <caption class="usa-sr-only">{escape_text(caption)}</caption>\n'
        f'  <thead><tr><th scope="col">{escape_text(first)}</th>{head}</tr></thead>\n'
        f"  <tbody>{body}</tbody>\n"
        "</table>\n"
    )


class GapLinks:
    """The addresses a gap row links to (an item's page, its reassignment), each kind
    reversed once: the address of id 0 without its ``0/``, the id put in its place."""

    def __init__(self, slug: str) -> None:
        self.pages = {kind: _without_id(name, [slug, 0]) for kind, name in ITEM_URL_NAMES.items()}
        self.reassign = {
            kind: _without_id("ownership:reassign", [slug, kind, 0]) for kind in ITEM_URL_NAMES
        }

    def page(self, item: OwnedItem) -> str:
        """As ``item.url``, escaped."""
        return f"{self.pages[item.type]}{item.id}/"

    def reassignment(self, item: OwnedItem) -> str:
        """As ``{% url 'ownership:reassign' slug item.type item.id %}``, escaped."""
        return f"{self.reassign[item.type]}{item.id}/"


def _without_id(name: str, args: list) -> str:
    url = reverse(name, args=args)
    if not url.endswith("/0/"):  # every such address ends with the item's id
        raise ValueError(f"{name}: {url} does not end with the id")
    return escape_text(url[:-2])


def reassign_link(item: OwnedItem, links: GapLinks, word: str) -> str:
    """The button that fetches the reassignment form (a large agency: not one select of
    every member per row); ``word`` is "Reassign", translated once per page."""
    url = links.reassignment(item)
    return (
        f'<a class="usa-button usa-button--outline" href="{url}" hx-get="{url}" '
        f'hx-swap="outerHTML">{word}<span class="usa-sr-only"> '
        f"{escape_text(item.label)}</span></a>"
    )


def gap_rows(
    items: Iterable[OwnedItem],
    links: GapLinks,
    *,
    can_reassign_plan: bool,
    can_reassign_okrs: bool,
    control: Callable[[OwnedItem], str] | None = None,
) -> SafeString:
    """The ``<tr>`` of each gap shown: the item (linked), its kind, unit, problem and owner,
    and a way to reassign it when the viewer may (plan items: plan editors; OKR items:
    editors of every OKR). ``control`` makes that way (the inline form of a small agency);
    without one it is :func:`reassign_link`. The owners must be loaded (``attach_owners``)."""
    word = escape_text(gettext("Reassign"))
    parts = []
    for item in items:
        may = can_reassign_plan if item.type in _PLAN_TYPES else can_reassign_okrs
        reassign = ""
        if may:
            reassign = control(item) if control is not None else reassign_link(item, links, word)
        late = f": {escape_text(item.detail)}" if item.detail and item.state == "stale" else ""
        owner = item.owner.display_name if item.owner is not None else ""
        parts.append(
            "<tr>\n"
            f'      <th scope="row"><a class="usa-link" href="{links.page(item)}">'
            f"{escape_text(item.label)}</a></th>\n"
            f"      <td>{escape_text(item.type_label)}</td>\n"
            f"      <td>{escape_text(item.unit_name or '—')}</td>\n"
            f"      <td><strong>{escape_text(item.state_label)}</strong>{late}</td>\n"
            f"      <td>{escape_text(owner or '—')}</td>\n"
            f"      <td>{reassign}</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped where it is placed)
