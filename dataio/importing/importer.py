"""Import a read workbook into an agency, all or nothing: :func:`import_book`.

Every sheet is written inside ONE transaction, in the contract's order (a sheet refers only
to sheets before it); every problem of every sheet is collected; derived state is
recomputed once at the end. Any problem, or a dry run, and the transaction is rolled back:
nothing changed, and the counts say what would have been created, updated and left alone.
A dry run is the real import rolled back, so a preview that passes is the import that
will run (the same rules, the same database constraints).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from dataio.importing import derived, engine, special, validation
from dataio.importing.context import Context
from dataio.importing.people import People
from dataio.importing.problems import Problems
from dataio.importing.reader import Book
from strategyhub.models import Organization, User


@dataclass
class Outcome:
    problems: Problems
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())


def rows_in(book: Book) -> int:
    """The rows the import will go through (the export's read-only sheets are skipped)."""
    return sum(
        sheet.count for name, sheet in book.sheets.items() if name.lower() not in validation.SKIPPED
    )


def import_book(
    organization: Organization,
    user: User | None,
    book: Book,
    *,
    dry_run: bool,
    today: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Outcome:
    ctx = Context(
        organization=organization,
        user=user,
        today=today or organization.today(),
        dry_run=dry_run,
    )
    if progress is not None:
        ctx.progress = progress
    sheets = validation.check_structure(book, ctx.problems)
    if ctx.problems:
        return Outcome(ctx.problems, dry_run=dry_run)
    done = 0
    with transaction.atomic():
        people = People(ctx)
        for spec, sheet in sheets:
            ctx.start_sheet(f"Checking and writing “{spec.name}”", done)
            ctx.count(spec.name)
            if spec.name == special.PUBLICATIONS:
                special.publications(ctx, people, sheet)
            else:
                rows = engine.parse(ctx, spec, sheet)
                if spec.name == "Members":
                    people.write_members(spec, sheet, rows)
                elif spec.name == special.GRANTS:
                    special.unit_grants(ctx, people, rows)
                else:
                    engine.SheetWriter(ctx, people, spec, sheet).write(rows)
            done += sheet.count
        if people.without_account:
            ctx.notice(
                f"{people.without_account} item(s) name someone who has no account yet "
                "(invited): they stay without that owner or author until assigned."
            )
        if not ctx.problems:
            ctx.progress("Recomputing scores, roll-ups and statuses", done)
            derived.recompute(ctx)
        if ctx.problems or dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: derived.announce(ctx))
    counts = {spec.name: ctx.count(spec.name).as_dict() for spec, _sheet in sheets}
    for name, count in ctx.counts.items():  # e.g. members made by another sheet
        counts.setdefault(name, count.as_dict())
    return Outcome(ctx.problems, counts, ctx.notices, dry_run)
