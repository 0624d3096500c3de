"""The cycle overview's alignment tree as nested nodes for the page (docs/ui.md): each
objective under the one it contributes to, from the overview's rows in tree order with
their depth. A page of rows (the overview is paginated) or a filtered set may start below
the top or skip a level: a row then hangs under the nearest shallower row shown, or at the
top, so every row shown appears once, in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


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
