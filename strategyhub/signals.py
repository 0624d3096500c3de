"""The core's documented signals: how the apps built on the tenancy core (scorecards, okrs,
ownership, publicdash) take part in its actions without the core importing them.

Each signal says who sends it, with which arguments, and what a receiver returns (the
pattern of pretix's ``control/signals.py``). Receivers are connected in the receiving app's
``AppConfig.ready()`` (its ``receivers`` module), never at import time of the core.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

fiscal_year_moved = Signal()
"""Sent by ``organizations.save_settings`` inside its transaction after an agency's fiscal
year's first month moved (allowed only while ``fiscal_calendar_in_use`` is false).

Arguments: ``organization``. Receivers rebuild what depends on the calendar (the execution
layer's empty quarters); the return value is ignored."""

fiscal_calendar_in_use = Signal()
"""Sent by ``organizations.fiscal_calendar_in_use`` to ask whether an agency's data is laid
out on its fiscal year (a strategic plan, an OKR objective).

Arguments: ``organization``. A receiver returns True when its app holds such data for the
agency, else False."""

member_deactivated = Signal()
"""Sent by ``members.deactivate_member`` inside its transaction, ``sender=Membership``.

Arguments: ``membership``. Receivers should act on commit (ownership raises its "owner
inactive" alerts); the return value is ignored."""

seed_demo = Signal()
"""Sent by ``organizations.seed_demo_organization`` once the demo agency, its units and its
four demo logins exist. Each app's ``demo`` module connects its receiver when it is imported
(``autodiscover_modules("demo")``, in INSTALLED_APPS order, so the plan is seeded before the
OKRs that cite it).

Arguments: ``organization``, ``users`` (role value → User), ``units`` (name → Unit).
Receivers add their app's demo data idempotently; the return value is ignored."""

generate_organization = Signal()
"""Sent by the ``generate_agency`` command inside its transaction and tenant scope, after
the agency's units and members exist. Each app's ``generate`` module connects its receiver
when it is imported (``autodiscover_modules("generate")``, INSTALLED_APPS order).

Arguments: ``organization``, ``scale`` (the scale's name), ``rng`` (a seeded
``random.Random``), ``context`` (a dict the receivers share: what one app generated and the
next needs). Receivers may add to ``context``; the return value is ignored."""

data_changed = Signal()
"""Sent by domain code after a write that model signals do not announce (a queryset
``update``, a bulk write), and by the model-signal bridge for every saved or deleted tenant
row. Arguments: ``organization_id`` (None for a row of no agency), ``kind`` (the model's
label, e.g. ``"okrs.KeyResult"``), ``ids`` (a tuple of primary keys, empty when unknown) and
``person_id`` (set when only what one person sees changed, e.g. their notifications).

Receivers (the page cache) invalidate what shows those rows; the return value is ignored.
Send it through ``changed()`` below, which says what changed in domain words."""


def changed(organization_id: int | None, kind: str, ids: Iterable[int] = ()) -> None:
    """Announce that rows of ``kind`` (a model label) of one agency changed."""
    data_changed.send(
        sender=None, organization_id=organization_id, kind=kind, ids=tuple(ids), person_id=None
    )


def person_changed(person_id: int, kind: str, ids: Iterable[int] = ()) -> None:
    """Announce that something only one person sees changed (their notifications)."""
    data_changed.send(
        sender=None, organization_id=None, kind=kind, ids=tuple(ids), person_id=person_id
    )


overview_sections = Signal()
"""Sent while the agency overview (``/o/<slug>/``, "what needs me?") is built.

Arguments: ``request`` (its ``organization``, ``membership`` and ``user``) and ``today`` (the
agency's date). A receiver returns HTML (a ``SafeString``) for a section of the overview —
its app's state at a glance and what asks for the signed-in person, every number a link to
the list behind it — or None to add nothing. Each receiver reads in a fixed number of
queries, whatever the agency's size. Sections appear in receiver connection order
(INSTALLED_APPS: the scorecard, then the OKRs, then the reports)."""
