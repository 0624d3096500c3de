"""The ownership coverage report (page reads): every owned item with its owner state and
status, the tallies by kind and unit, the gaps, and the on-track rates of owned and unowned
items beside the published reference figures.

Items are strategic objectives and measures of the active plan, and OKR objectives and key
results of the running quarter, read as rows (``ownership.items``) in a fixed number of
queries. The report tallies the rows themselves and makes an :class:`OwnedItem` only for a
gap that is shown (a large agency has about 2,500 items and a thousand gaps; the page shows
25): an object per item was most of the page's first build (issue 17).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any, overload

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from ownership.items import (
    CYCLE,
    EXTRA,
    ID,
    LABEL,
    OWNER,
    SINCE,
    STATE,
    STATUS,
    TYPE,
    UNIT,
    item_rows,
)
from ownership.owners import MODELS
from ownership.rules import STATE_LABELS, OwnerState
from strategyhub.models import Organization, User
from strategyhub.status import Status
from strategyhub.ui import dates

__all__ = [
    "ITEM_URL_NAMES",
    "MODELS",
    "NO_UNIT",
    "REFERENCE_OWNED_ON_TRACK",
    "REFERENCE_UNOWNED_ON_TRACK",
    "TYPE_LABELS",
    "TYPE_NAMES",
    "GapList",
    "OwnedItem",
    "Report",
    "attach_owners",
    "collect_items",
    "ownership_report",
]

# Each kind's name in the tallies (plural) and on an item (singular), marked here and
# translated where shown (the tallies, the gap rows, the alerts and digests).
TYPE_LABELS = {
    "strategic_objective": gettext_noop("Strategic objectives"),
    "measure": gettext_noop("Measures"),
    "okr_objective": gettext_noop("OKR objectives"),
    "key_result": gettext_noop("Key results"),
}
TYPE_NAMES = {
    "strategic_objective": gettext_noop("Strategic objective"),
    "measure": gettext_noop("Measure"),
    "okr_objective": gettext_noop("OKR objective"),
    "key_result": gettext_noop("Key result"),
}
NO_UNIT = gettext_noop("No unit")
# Published reference figures (DESIGN.md §1): owned objectives on track vs unowned ones.
REFERENCE_OWNED_ON_TRACK = Decimal("0.236")
REFERENCE_UNOWNED_ON_TRACK = Decimal("0.097")


# The page of each kind of item (reversed when shown: a large agency has thousands of items
# and the ownership page shows 25).
ITEM_URL_NAMES = {
    "measure": "scorecards:measure",
    "strategic_objective": "scorecards:objective",
    "key_result": "okrs:key_result",
    "okr_objective": "okrs:objective",
}


@dataclass
class OwnedItem:
    type: str
    id: int
    label: str
    slug: str  # the agency's, for the item's URL
    unit_name: str
    owner_id: int | None
    state: OwnerState
    status: str | None  # on_track / at_risk / off_track / stale; None without data
    status_label: str = ""
    detail: str = ""  # e.g. "no check-in since 2 Nov"
    unit_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    owner: User | None = None  # loaded with the others by ``collect_items``

    @property
    def url(self) -> str:
        return reverse(ITEM_URL_NAMES[self.type], args=[self.slug, self.id])

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def type_label(self) -> str:
        return gettext(TYPE_NAMES[self.type])


class _ItemMaker:
    """Makes the :class:`OwnedItem` of a row of ``ownership.items``. Words are looked up
    once per maker, not once per item (thousands of items share a handful of statuses and
    check-in days)."""

    def __init__(self, slug: str, units: dict[int | None, str]) -> None:
        self.slug, self.units = slug, units
        self.labels = {status: status.label for status in Status}
        self.checked_in: dict[dt.date, str] = {}
        self.no_check_in = ""

    def _detail(self, kind: str, since: dt.date | None) -> str:
        if kind == "measure":
            return f"no value since {since:%B %Y}" if since else ""
        if kind != "key_result":
            return ""
        if since is None:
            if not self.no_check_in:
                self.no_check_in = gettext("no check-in yet")
            return self.no_check_in
        text = self.checked_in.get(since)
        if text is None:
            text = gettext("last check-in %(day)s") % {"day": dates.brief_month_day(since)}
            self.checked_in[since] = text
        return text

    def __call__(self, row: tuple) -> OwnedItem:
        kind, status = row[TYPE], row[STATUS]
        if kind == "strategic_objective":
            extra: dict[str, Any] = {"review_flag": row[EXTRA]}
        elif kind == "measure":
            extra = {}
        else:
            extra = {"cycle": row[CYCLE], "score": row[EXTRA]}
        return OwnedItem(
            type=kind,
            id=row[ID],
            label=row[LABEL],
            slug=self.slug,
            unit_name=self.units.get(row[UNIT], ""),
            unit_id=row[UNIT],
            owner_id=row[OWNER],
            state=row[STATE],
            status=None if status == Status.NO_DATA else status,
            status_label=self.labels[status],
            detail=self._detail(kind, row[SINCE]),
            extra=extra,
        )


def collect_items(
    organization: Organization, today: dt.date, *, with_owners: bool = True
) -> list[OwnedItem]:
    """Every owned item with its owner state and status, in a fixed number of queries
    (``ownership.items.item_rows``; the alerts and the digests go through all of them).
    ``with_owners=False`` leaves ``owner`` unset (a caller that needs the owners of a few
    items loads them with :func:`attach_owners`)."""
    scanned = item_rows(organization, today)
    items = list(map(_ItemMaker(organization.slug, scanned.units), scanned.rows))
    if with_owners:
        attach_owners(items)
    return items


def attach_owners(items: Iterable[OwnedItem]) -> None:
    """Load the owners of ``items`` (one query) into ``item.owner``."""
    items = list(items)
    owners = User.objects.in_bulk({item.owner_id for item in items} - {None})
    for item in items:
        item.owner = owners.get(item.owner_id)


class GapList(Sequence[OwnedItem]):
    """The gaps in the page's order, kept as rows: an :class:`OwnedItem` is made for an item
    when it is asked for (the page shows 25 of about a thousand) and kept, so asking twice
    gives the same object (the page loads the shown gaps' owners into them)."""

    def __init__(self, rows: list[tuple], make: _ItemMaker) -> None:
        self._rows, self._make = rows, make
        self._made: dict[int, OwnedItem] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def _item(self, position: int) -> OwnedItem:
        item = self._made.get(position)
        if item is None:
            item = self._made[position] = self._make(self._rows[position])
        return item

    @overload
    def __getitem__(self, index: int) -> OwnedItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[OwnedItem]: ...

    def __getitem__(self, index: int | slice) -> OwnedItem | list[OwnedItem]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self._rows)))]
        if index < 0:
            index += len(self._rows)
        if not 0 <= index < len(self._rows):
            raise IndexError(index)
        return self._item(index)


@dataclass
class Report:
    by_type: list[tuple[str, dict[str, int], int]]
    by_unit: list[tuple[str, dict[str, int], int]]
    gaps: GapList
    owned_rate: Decimal | None
    unowned_rate: Decimal | None
    ratio: Decimal | None
    owned_count: int
    unowned_count: int
    owner_candidates: int  # how many people may be named owner (``owners.active_owners``)


def _rate(on_track: int, judged: int) -> Decimal | None:
    """The share of items with a status (``judged``) that are on track."""
    return Decimal(on_track) / Decimal(judged) if judged else None


def _tally_rows(groups: dict[str, Counter]) -> list[tuple[str, dict[str, int], int]]:
    """(name, count per owner state by its value, total) per group, by name."""
    return [
        (
            name,
            {state.value: counts.get(state, 0) for state in OwnerState},
            sum(counts.values()),
        )
        for name, counts in sorted(groups.items())
    ]


# The gaps' order: by problem, then by kind of item (as the tallies list them), then by name.
_GAP_RANK = {
    (state, kind): rank * len(TYPE_LABELS) + position
    for rank, state in enumerate((OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE, OwnerState.STALE))
    for position, kind in enumerate(TYPE_LABELS)
}


def ownership_report(organization: Organization, today: dt.date) -> Report:
    """The page's figures, counted over the items' rows: the items fall into a few hundred
    (kind, unit, owner state, status) groups, counted once; every figure comes from those
    counts. The gaps are sorted as rows; the page makes items of the ones it shows and loads
    their owners (:func:`attach_owners`)."""
    scanned = item_rows(organization, today)
    rows, units = scanned.rows, scanned.units
    active, unowned, inactive = OwnerState.ACTIVE, OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE
    no_data, on_track = Status.NO_DATA, Status.ON_TRACK
    no_unit = gettext(NO_UNIT)
    by_type: dict[str, Counter] = {}
    by_unit: dict[str, Counter] = {}
    # [count, with a status, on track] of the items with an active owner, and without one.
    owned, not_owned = [0, 0, 0], [0, 0, 0]
    for (kind, unit_id, state, status), count in Counter(
        map(itemgetter(TYPE, UNIT, STATE, STATUS), rows)
    ).items():
        type_counts = by_type.get(kind)
        if type_counts is None:
            type_counts = by_type[kind] = Counter()
        type_counts[state] += count
        unit_name = units.get(unit_id, "") or no_unit
        unit_counts = by_unit.get(unit_name)
        if unit_counts is None:
            unit_counts = by_unit[unit_name] = Counter()
        unit_counts[state] += count
        if state == active:
            figures = owned
        elif state in (unowned, inactive):
            figures = not_owned
        else:
            continue
        figures[0] += count
        if status != no_data:
            figures[1] += count
            if status == on_track:
                figures[2] += count
    owned_rate, unowned_rate = _rate(owned[2], owned[1]), _rate(not_owned[2], not_owned[1])
    ratio = owned_rate / unowned_rate if owned_rate is not None and unowned_rate else None
    # Sorted by name, then (stably) by problem and kind: the order of sorting by all three,
    # items that tie keeping the order they were read in.
    gaps = sorted((row for row in rows if row[STATE] is not active), key=itemgetter(LABEL))
    gaps.sort(key=lambda row: _GAP_RANK[row[STATE], row[TYPE]])
    kinds = list(TYPE_LABELS)
    return Report(
        by_type=[
            (gettext(TYPE_LABELS[name]), counts, total)
            for name, counts, total in sorted(
                _tally_rows(by_type), key=lambda row: kinds.index(row[0])
            )
        ],
        by_unit=_tally_rows(by_unit),
        gaps=GapList(gaps, _ItemMaker(organization.slug, units)),
        owned_rate=owned_rate,
        unowned_rate=unowned_rate,
        ratio=ratio,
        owned_count=owned[0],
        unowned_count=not_owned[0],
        owner_candidates=scanned.owner_candidates,
    )
