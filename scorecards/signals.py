"""The strategic layer's documented signals, so the apps built on the scorecard (okrs) can
add to its pages and follow its edits without the scorecard knowing them (dependencies
point one way: okrs → scorecards). Receivers are connected in the receiving app's
``AppConfig.ready()``.
"""

from __future__ import annotations

from django.dispatch import Signal

measure_page_sections = Signal()
"""Sent while a measure's page is built, ``sender=Measure``.

Arguments: ``request``, ``measure``. A receiver returns HTML (a ``SafeString``) for a
section of the page, or None to add nothing. Sections appear in receiver connection order."""

measure_rollup_changed = Signal()
"""Sent inside the edit's transaction after an edit changed how a calculated measure's
values are made (value source, roll-up method, update frequency or unit kind: see
``scorecards.measures.ROLLUP_FIELDS``), ``sender=Measure``.

Arguments: ``measure``. Receivers bring its calculated values up to date; the return value
is ignored."""
