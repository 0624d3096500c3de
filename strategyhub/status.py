"""The one Status: what a measure, a key result or an objective shows, with its label and
its icon (DESIGN.md §3).

Both layers use this enum; which statuses a thing can have and how they combine are each
layer's rules (``scorecards.calc`` and ``okrs.calc``: only a measure can be STALE). The
values are never stored in the database but are part of the publication document and of
CSS class names (``sh-status--on_track``), so they do not change. Pure (the labels are
marked for translation and translated when shown).
"""

from __future__ import annotations

import enum

from django.utils.translation import gettext, gettext_noop


class Status(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    STALE = "stale"  # measures only: no value for a whole further period

    @property
    def label(self) -> str:
        """The word shown next to the icon ("On track"), in the active language."""
        return gettext(LABELS[self])

    @property
    def icon(self) -> str:
        """The USWDS sprite icon's name (``strategyhub.ui.badges`` renders it)."""
        return ICONS[self]


LABELS: dict[Status, str] = {
    Status.ON_TRACK: gettext_noop("On track"),
    Status.AT_RISK: gettext_noop("At risk"),
    Status.OFF_TRACK: gettext_noop("Off track"),
    Status.NO_DATA: gettext_noop("No data"),
    Status.STALE: gettext_noop("Stale"),
}

ICONS: dict[Status, str] = {
    Status.ON_TRACK: "check_circle",
    Status.AT_RISK: "warning",
    Status.OFF_TRACK: "cancel",
    Status.NO_DATA: "help_outline",
    Status.STALE: "schedule",
}
