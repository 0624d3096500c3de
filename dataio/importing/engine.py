"""Writing one sheet: match each row to the agency's row by its key, set the fields the
sheet has, check them with the model's own rules, and write the sheet in bulk.

The order of a sheet's work:

1. every cell converted to its column's type (``cells``), every reference resolved in the
   index of keyed rows (``Context.index``: another agency's key is simply unknown), every
   email to a member (``people``);
2. the fields checked as the model declares them (``clean_fields``: lengths, choices,
   validators), so the bulk write cannot fail on a value;
3. new rows ``bulk_create``-d (their keys kept), changed rows ``bulk_update``-d, unchanged
   rows left alone (a re-import of the same workbook writes nothing);
4. references to rows of the same sheet (a unit's parent, an OKR objective's parent) set
   once every row has its id;
5. each row's rules run — the model's ``clean()`` (what the forms run: units that match,
   start ≠ target unless hold-the-line, values inside the plan…) and the sheet's service
   rule (``rules``) — on the written rows, inside the transaction; any problem and the
   whole import rolls back.

Memory: rows stream from the reader through :func:`parse` (a generator) into the writer.
A sheet that no other sheet refers to by key and that has no reference to its own rows
and no many-valued column ("Check-ins", "Measure values", "Yearly targets"…:
:func:`streams`) is written in batches of ``BATCH`` rows, steps 1–5 per batch, and its
rows are neither kept nor registered in the context's index; its existing rows are looked
up per batch by key (a keyed sheet) or loaded once (a natural-key sheet). The other sheets
(units, objectives, measures, key results: a few thousand rows at most) are written as
one batch, since their rows are what later sheets refer to. Every problem of every batch
is still collected, with its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from dataio import schema
from dataio.importing import cells, rules
from dataio.importing.context import Context
from dataio.importing.people import People
from dataio.importing.problems import report_error
from dataio.importing.reader import Row
from dataio.importing.reader import Sheet as ReadSheet
from dataio.schema import Kind

BATCH = 2000
SAME_INSTANT = dt.timedelta(seconds=1)
PROGRESS_EVERY = 5000  # rows between two progress reports within a sheet
ParsedRow = tuple[int, dict[str, Any]]


def parse(ctx: Context, spec: schema.Sheet, sheet: ReadSheet) -> Iterator[ParsedRow]:
    """Every row's cells converted, as the rows are read; a row with a bad cell is reported
    and left out."""
    present = [spec.column(h) for _l, h in sheet.headings if h in spec.headers]
    for row in sheet.rows:
        values, ok = parse_row(ctx, spec, present, row)
        if ok:
            yield row.number, values


@cache
def referenced() -> frozenset[str]:
    """The sheets whose rows another sheet names by key (their rows are indexed)."""
    names = set()
    for spec in schema.SHEETS:
        for column in spec.columns:
            if column.kind == Kind.REF and column.ref and column.ref != spec.name:
                names.add(column.ref)
    return frozenset(names)


def streams(spec: schema.Sheet) -> bool:
    """Whether the sheet is written batch by batch, its rows dropped after each batch."""
    return spec.name not in referenced() and not any(
        c.many or (c.kind == Kind.REF and c.ref == spec.name) for c in spec.columns
    )


def batches(rows: Iterable[ParsedRow], size: int | None) -> Iterator[list[ParsedRow]]:
    """``rows`` in lists of ``size`` (all of them in one list for None)."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def parse_row(
    ctx: Context, spec: schema.Sheet, present: list[schema.Column], row: Row
) -> tuple[dict[str, Any], bool]:
    values: dict[str, Any] = {}
    ok = True
    for column in present:
        raw = row.values.get(column.header)
        if raw is None:
            if column.required:
                ctx.problems.add(
                    f"Required: {column.type_text}.",
                    sheet=spec.name,
                    row=row.number,
                    column=column.header,
                )
                ok = False
            values[column.header] = [] if column.many else None
            continue
        try:
            values[column.header] = cells.convert(column, raw)
        except cells.CellError as error:
            ctx.problems.add(
                str(error), sheet=spec.name, row=row.number, column=column.header, value=raw
            )
            ok = False
    return values, ok


def row_key(spec: schema.Sheet, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(header) for header in spec.key)


def model_field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def empty_value(field: Any) -> Any:
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.CharField | models.TextField):
        return ""
    return None


class SheetWriter:
    """One sheet of a keyed, natural-key or update-only kind (see the module docstring)."""

    def __init__(self, ctx: Context, people: People, spec: schema.Sheet, sheet: ReadSheet):
        self.ctx = ctx
        self.people = people
        self.spec = spec
        self.sheet = sheet
        self.model = ctx.model(spec)
        headings = {h for _l, h in sheet.headings}
        self.columns = [
            c
            for c in spec.columns
            if c.header in headings and not c.export_only and c.header not in self.key_refs()
        ]
        self.counts = ctx.count(spec.name)
        self.header_of = {c.field: c.header for c in spec.columns}

    # --- what kind of sheet -------------------------------------------------------------

    @property
    def update_only(self) -> bool:
        """A sheet of more fields of rows another sheet holds ("Frozen scores")."""
        first = self.spec.columns[0]
        return (
            self.spec.key == (first.header,)
            and first.field == "external_key"
            and first.kind == Kind.REF
        )

    @property
    def keyed(self) -> bool:
        return self.spec.key == ("Key",)

    def key_refs(self) -> set[str]:
        return {self.spec.columns[0].header} if self.update_only else set()

    # --- the work -----------------------------------------------------------------------

    def write(self, rows: Iterable[ParsedRow]) -> None:
        streaming = streams(self.spec)
        existing = {} if streaming and self.keyed else self.existing()
        seen: dict[tuple[Any, ...], int] = {}
        done = 0
        for batch in batches(rows, BATCH if streaming else None):
            if streaming and self.keyed:
                existing = self.existing_keys([values.get("Key") for _n, values in batch])
            self.write_batch(batch, existing, seen, done, register=not streaming)
            done += len(batch)

    def write_batch(
        self,
        rows: list[ParsedRow],
        existing: dict[tuple[Any, ...], models.Model],
        seen: dict[tuple[Any, ...], int],
        done_before: int,
        register: bool,
    ) -> None:
        new: list[tuple[int, models.Model]] = []
        changed: list[tuple[int, models.Model]] = []
        kept: list[tuple[int, models.Model]] = []
        self_refs: list[tuple[models.Model, schema.Column, Any, int]] = []
        many: list[tuple[models.Model, schema.Column, list[Any], int]] = []
        for done, (number, values) in enumerate(rows, start=done_before + 1):
            if done % PROGRESS_EVERY == 0:
                self.ctx.tick(done)
            key = self.match_key(number, values)
            if key is None:
                continue
            if key in seen:
                self.problem(
                    f"This row's key appears again (first on row {seen[key]}).",
                    number,
                    self.spec.key[0],
                    ", ".join(str(k) for k in key),
                )
                continue
            seen[key] = number
            found = existing.get(key)
            is_new = found is None
            if found is None:
                if self.update_only:
                    self.problem(
                        f"No row has this Key on “{self.spec.columns[0].ref}” or in this agency.",
                        number,
                        self.spec.columns[0].header,
                        key[0],
                    )
                    continue
                found = self.model(organization=self.ctx.organization)
                if self.keyed:
                    found.external_key = values["Key"]  # type: ignore[attr-defined]
            row: models.Model = found
            before = None if is_new else self.snapshot(row)
            if not self.assign(row, number, values, self_refs, many):
                continue
            if not self.field_rules(row, number, is_new):
                continue
            if self.keyed and register:
                self.ctx.register(self.spec.name, values["Key"], row)
            if is_new:
                new.append((number, row))
            elif self.snapshot(row) != before:
                changed.append((number, row))
            else:
                kept.append((number, row))
        self.store(new, changed)
        links_changed = self.set_self_refs(self_refs) | self.set_many(many)
        for ident in links_changed - {id(r) for _n, r in new} - {id(r) for _n, r in changed}:
            moved = next(pair for pair in kept if id(pair[1]) == ident)
            kept.remove(moved)
            changed.append(moved)
        self.counts.created += len(new)
        self.counts.updated += len(changed)
        self.counts.unchanged += len(kept)
        everything = new + changed + kept
        self.model_rules(everything)
        rules.check(
            self.ctx, self.spec, everything, {h: c for c in self.columns for h in [c.header]}
        )
        if new or changed:
            self.ctx.written.add(self.model._meta.label)

    def existing(self) -> dict[tuple[Any, ...], models.Model]:
        if self.keyed:
            return {(k,): row for k, row in self.ctx.index(self.spec.name).items()}
        if self.update_only:
            ref = self.spec.columns[0].ref or self.spec.name
            return {(k,): row for k, row in self.ctx.index(ref).items()}
        attnames = [self.attname(self.spec.column(h)) for h in self.spec.key]
        found: dict[tuple[Any, ...], models.Model] = {}
        rows = self.model.objects.filter(organization=self.ctx.organization)  # type: ignore[attr-defined]
        for row in rows.iterator(chunk_size=BATCH):
            found[tuple(getattr(row, name) for name in attnames)] = row
        return found

    def existing_keys(self, keys: list[Any]) -> dict[tuple[Any, ...], models.Model]:
        """The agency's rows of a streamed keyed sheet with these keys (one query a batch)."""
        rows = self.model.objects.filter(  # type: ignore[attr-defined]
            organization=self.ctx.organization, external_key__in=[k for k in keys if k]
        )
        return {(row.external_key,): row for row in rows}

    def attname(self, column: schema.Column) -> str:
        if column.kind in (Kind.REF, Kind.EMAIL) and not column.many:
            return f"{column.field}_id"
        return column.field

    def match_key(self, number: int, values: dict[str, Any]) -> tuple[Any, ...] | None:
        """The row's key as the agency's rows are indexed (references by their ids)."""
        if self.keyed or self.update_only:
            return (values[self.spec.key[0]],)
        parts = []
        for header in self.spec.key:
            column = self.spec.column(header)
            value = values.get(header)
            if column.kind == Kind.REF:
                target = self.resolve(column, value, number)
                if target is None:
                    return None
                value = target.pk
            elif column.kind == Kind.EMAIL:
                user = self.people.user_for(str(value), self.spec.name, number, header)
                if user is None:
                    return None
                value = user.pk
            parts.append(value)
        return tuple(parts)

    def snapshot(self, row: models.Model) -> tuple[Any, ...]:
        return tuple(getattr(row, self.attname(c)) for c in self.columns if not c.many)

    def resolve(self, column: schema.Column, key: Any, number: int) -> Any:
        target = self.ctx.index(column.ref or self.spec.name).get(key)
        if target is None:
            self.problem(
                f"No row has this Key on “{column.ref}” or in this agency.",
                number,
                column.header,
                key,
            )
        return target

    def assign(
        self,
        row: models.Model,
        number: int,
        values: dict[str, Any],
        self_refs: list[tuple[models.Model, schema.Column, Any, int]],
        many: list[tuple[models.Model, schema.Column, list[Any], int]],
    ) -> bool:
        ok = True
        for column in self.columns:
            if column.header in self.spec.key and self.keyed:
                continue
            value = values.get(column.header)
            if column.many:
                many.append((row, column, value or [], number))
                continue
            field = model_field(self.model, column.field)
            if column.kind == Kind.REF:
                if value is None:
                    setattr(row, column.field, None)
                elif column.ref == self.spec.name:
                    self_refs.append((row, column, value, number))
                else:
                    target = self.resolve(column, value, number)
                    ok = ok and target is not None
                    setattr(row, column.field, target)
                continue
            if column.kind == Kind.EMAIL:
                user = None
                if value is not None:
                    user = self.people.user_for(value, self.spec.name, number, column.header)
                setattr(row, column.field, user)
                continue
            if column.kind == Kind.DATETIME and value is not None:
                stored = getattr(row, column.field, None)
                if stored is not None and abs(stored - value) < SAME_INSTANT:
                    continue  # a spreadsheet's time is a float of days: microseconds drift
            setattr(row, column.field, empty_value(field) if value is None else value)
        return ok

    def field_rules(self, row: models.Model, number: int, is_new: bool) -> bool:
        # An empty nullable field is stored as it was (an author whose account is gone):
        # "blank" is the form's requirement for a new entry, not a restore's.
        exclude = [
            f.name
            for f in self.model._meta.fields
            if f.name not in self.fields() or (f.null and getattr(row, f.attname) is None)
        ]
        try:
            row.clean_fields(exclude=exclude)
        except ValidationError as error:
            self.report(error, number, row)
            return False
        return True

    def fields(self) -> list[str]:
        return [c.field for c in self.columns if not c.many and c.header not in self.key_refs()]

    def store(
        self, new: list[tuple[int, models.Model]], changed: list[tuple[int, models.Model]]
    ) -> None:
        manager = self.model.objects  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                if new:
                    manager.bulk_create([r for _n, r in new], batch_size=BATCH)
                    self.restore_auto_times([r for _n, r in new])
                if changed:
                    manager.bulk_update(
                        [r for _n, r in changed],
                        self.fields() + self.stamp(changed),
                        batch_size=BATCH,
                    )
        except IntegrityError as error:
            self.problem(f"The rows conflict with the agency's data ({error}).", None, "", "")

    def stamp(self, changed: list[tuple[int, models.Model]]) -> list[str]:
        """``updated_at`` (``Stamped``) of the changed rows, which bulk_update leaves alone:
        the API's "changed since" and ETags see an import's changes."""
        names = [f.name for f in self.model._meta.fields if getattr(f, "auto_now", False)]
        now = timezone.now()
        for _number, row in changed:
            for name in names:
                setattr(row, name, now)
        return names

    def restore_auto_times(self, rows: list[models.Model]) -> None:
        """A created-at the sheet gives (not export-only) is the row's, not the import's."""
        names = [
            c.field
            for c in self.columns
            if c.kind == Kind.DATETIME
            and getattr(model_field(self.model, c.field), "auto_now_add", False)
        ]
        if names:
            self.model.objects.bulk_update(rows, names, batch_size=BATCH)  # type: ignore[attr-defined]

    def set_self_refs(self, refs: list[tuple[models.Model, schema.Column, Any, int]]) -> set[int]:
        touched: dict[int, models.Model] = {}
        fields: set[str] = set()
        for row, column, key, number in refs:
            target = self.resolve(column, key, number)
            if target is None or target.pk is None:
                continue
            if getattr(row, self.attname(column)) != target.pk:
                setattr(row, column.field, target)
                touched[id(row)] = row
                fields.add(column.field)
        if touched:
            self.model.objects.bulk_update(list(touched.values()), sorted(fields), batch_size=BATCH)  # type: ignore[attr-defined]
        return set(touched)

    def set_many(self, many: list[tuple[models.Model, schema.Column, list[Any], int]]) -> set[int]:
        """Many-to-many people (collaborators): the through rows added and removed in bulk."""
        touched: set[int] = set()
        by_column: dict[str, list[tuple[models.Model, list[int]]]] = {}
        for row, column, emails, number in many:
            if row.pk is None:
                continue
            ids = []
            for email in emails:
                user = self.people.user_for(email, self.spec.name, number, column.header)
                if user is not None:
                    ids.append(user.pk)
            by_column.setdefault(column.field, []).append((row, ids))
        for name, wanted in by_column.items():
            through = getattr(self.model, name).through
            source = f"{self.model._meta.model_name}_id"
            target = f"{model_field(self.model, name).related_model._meta.model_name}_id"
            current: dict[int, set[int]] = {}
            pairs = through.objects.filter(**{f"{source}__in": [r.pk for r, _ in wanted]})
            for left, right in pairs.values_list(source, target):
                current.setdefault(left, set()).add(right)
            add, remove = [], []
            for row, ids in wanted:
                have, want = current.get(row.pk, set()), set(ids)
                if have != want:
                    touched.add(id(row))
                    add += [through(**{source: row.pk, target: uid}) for uid in want - have]
                    remove += [(row.pk, uid) for uid in have - want]
            through.objects.bulk_create(add, batch_size=BATCH)
            for left, right in remove:
                through.objects.filter(**{source: left, target: right}).delete()
        return touched

    def model_rules(self, rows: Iterable[tuple[int, models.Model]]) -> None:
        for number, row in rows:
            try:
                row.clean()
            except ValidationError as error:
                self.report(error, number, row)

    # --- problems -----------------------------------------------------------------------

    def report(self, error: ValidationError, number: int, row: models.Model) -> None:
        values = {}
        for column in self.spec.columns:
            if column.many or column.header in self.key_refs():
                continue
            value = getattr(row, column.field, None)
            if column.kind == Kind.REF and value is not None:
                value = getattr(value, "external_key", value)
            elif column.kind == Kind.EMAIL and value is not None:
                value = getattr(value, "email", value)
            values[column.header] = value
        report_error(self.ctx.problems, self.spec.name, error, number, self.header_of, values)

    def problem(self, message: str, number: int | None, column: str, value: Any) -> None:
        self.ctx.problems.add(message, sheet=self.spec.name, row=number, column=column, value=value)
