"""The cycle overview's alignment tree as nested nodes for the page (docs/ui.md): each
objective under the one it contributes to, from the overview's rows in tree order with
their depth. A page of rows (the overview is paginated) or a filtered set may start below
the top or skip a level: a row then hangs under the nearest shallower row shown, or at the
top, so every row shown appears once, in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from okrs.calc import SUCCESS
from strategyhub.status import Status
from strategyhub.ui import progress
from strategyhub.ui.badges import status_badge


class HasDepth(Protocol):
    depth: int


@dataclass
class Node:
    row: HasDepth
    children: list[Node] = field(default_factory=list)

    @property
    def descendants(self) -> int:
        return sum(1 + child.descendants for child in self.children)


def nest(rows: Iterable[HasDepth]) -> list[Node]:
    """``rows`` (pre-order, each with its ``depth``) as a forest of nodes."""
    roots: list[Node] = []
    stack: list[Node] = []
    for row in rows:
        node = Node(row)
        while stack and stack[-1].row.depth >= row.depth:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


class TreeItem(Protocol):
    """What :func:`render` shows of a row (``okrs.queries.TreeRow``)."""

    pk: int
    title: str
    is_draft: bool
    level_label: str
    unit_name: str
    owner_name: str
    kr_count: int
    strategic_objective_id: int | None
    strategic_title: str
    score_value: Decimal | None
    score: str | None  # ``score_value`` formatted (``format_score``)
    status: Status


class _Words:
    """The tree's words and repeated texts, each looked up (translated, escaped, drawn) once
    per page: a page of 60 objectives shares a few levels, units, owners, result counts
    and scores."""

    def __init__(self) -> None:
        # The words first, outside the f-strings: makemessages does not read calls in them.
        draft, no_owner, not_linked = gettext("Draft"), gettext("No owner"), gettext("Not linked")
        self.draft = f' <span class="usa-tag">{escape(draft)}</span>'
        self.no_owner = f'<span class="sh-unowned">{escape(no_owner)}</span>'
        self.serves = escape(gettext("Serves"))
        self.not_linked = f'<span class="sh-unowned">{escape(not_linked)}</span>'
        self.score = escape(gettext("Score"))
        self.texts: dict[str, str] = {}
        self.counts: dict[int, str] = {}
        self.bars: dict[Decimal | None, str] = {}

    def text(self, value: str) -> str:
        """``value`` escaped (a level, a unit's or an owner's name: repeated down the page)."""
        found = self.texts.get(value)
        if found is None:
            found = self.texts[value] = escape(value)
        return found

    def count(self, kr_count: int) -> str:
        found = self.counts.get(kr_count)
        if found is None:
            words = ngettext("%(count)s key result", "%(count)s key results", kr_count)
            found = self.counts[kr_count] = escape(words % {"count": kr_count})
        return found

    def bar(self, row: TreeItem) -> str:
        # Keyed by the score: its text (``format_score``) and so its bar follow from it.
        found = self.bars.get(row.score_value)
        if found is None:
            found = self.bars[row.score_value] = progress.score_bar(
                row.score_value, row.score, SUCCESS
            )
        return found


def render(nodes: list[Node], objective_prefix: str, strategic_prefix: str) -> SafeString:
    """The alignment tree as nested lists: each node's row, then its contributors in a
    ``<details>`` (open by default, keyboard-operable, no script needed). The links are
    outside the summary: a summary is a button, and a link inside a button cannot be
    reached on its own. ``*_prefix``: the objective pages' addresses without the id.

    Made in Python, not by a template included per node (a page holds 60 objectives, and
    the template engine's cost per included node was most of the page's build, issue 17);
    the words are looked up once per page."""
    parts: list[str] = []
    _render_level(nodes, True, objective_prefix, strategic_prefix, _Words(), parts)
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped where it is placed)


def _render_level(
    nodes: list[Node],
    top: bool,
    objective_prefix: str,
    strategic_prefix: str,
    words: _Words,
    parts: list[str],
) -> None:
    parts.append(f'<ul class="sh-tree{" sh-tree--top" if top else ""}">')
    text = words.text
    for node in nodes:
        row: TreeItem = node.row  # type: ignore[assignment]
        meta = text(row.level_label)
        if row.unit_name:
            meta += f" · {text(row.unit_name)}"
        meta += f" · {text(row.owner_name) if row.owner_name else words.no_owner}"
        meta += f" · {words.count(row.kr_count)}"
        serves = (
            f'<a class="usa-link" href="{strategic_prefix}{row.strategic_objective_id}/">'
            f"{escape(row.strategic_title)}</a>"
            if row.strategic_objective_id
            else words.not_linked
        )
        parts.append(
            '<li class="sh-tree__item"><div class="sh-tree__row">'
            f'<p class="sh-tree__title"><a class="usa-link" href="{objective_prefix}{row.pk}/">'
            f"{escape(row.title)}</a>{words.draft if row.is_draft else ''}</p>"
            f'<p class="sh-tree__meta">{meta}</p>'
            f'<p class="sh-tree__meta">{words.serves}: {serves}</p>'
            f'<p class="sh-tree__score"><span class="sh-kr-card__label">{words.score}</span> '
            f"{words.bar(row)} {status_badge(row.status)}</p></div>"
        )
        if node.children:
            summary = ngettext(
                "%(count)s objective contributing to “%(title)s”",
                "%(count)s objectives contributing to “%(title)s”",
                node.descendants,
            ) % {"count": node.descendants, "title": row.title}
            parts.append(
                f'<details class="sh-tree__branch" open><summary>{escape(summary)}</summary>'
            )
            _render_level(node.children, False, objective_prefix, strategic_prefix, words, parts)
            parts.append("</details>")
        parts.append("</li>")
    parts.append("</ul>")
