"""The export's reads: each sheet of ``dataio.schema`` as rows of plain values, in bounded
queries (a few per sheet, streamed with ``iterator``, never one per row).

A row is a list with one value per column of its sheet, as the database holds it (Decimal,
date, aware datetime, bool, text; references as the other row's key, people as their
email). ``dataio.export`` turns them into cells.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from guardian.models import UserObjectPermission

from dataio import schema
from strategyhub.models import Organization, Unit

CHUNK = 2000
Row = list[Any]

# Sheets that hold only some rows of their model. Service accounts are systems an admin
# made on the Tokens page, with tokens only: not people to invite into another agency.
ONLY: dict[str, Q] = {
    "Members": Q(user__is_service_account=False),
    "Quarterly reviews": Q(final_score__isnull=False) | ~Q(what_worked="") | ~Q(lessons=""),
    "Frozen scores": Q(frozen_score__isnull=False)
    | ~Q(review_decision="")
    | Q(predecessor__isnull=False),
}


def rows(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    """The rows of ``sheet`` for ``organization`` (call inside its scope)."""
    reader = _READERS.get(sheet.name, _model_rows)
    return reader(sheet, organization)


def _model(sheet: schema.Sheet) -> type[Model]:
    return apps.get_model(sheet.model)


def _many(model: type[Model], organization: Organization, name: str) -> dict[int, list[str]]:
    """The emails of a many-to-many field (collaborators), per row id, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    pairs = (
        model._default_manager.filter(organization=organization, **{f"{name}__isnull": False})
        .values_list("pk", f"{name}__email")
        .order_by("pk", f"{name}__email")
    )
    for pk, email in pairs.iterator(chunk_size=CHUNK):
        found[pk].append(email)
    return found


def _model_rows(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    model = _model(sheet)
    many = {c.field: _many(model, organization, c.field) for c in sheet.columns if c.many}
    lookups = [c.lookup for c in sheet.columns if not c.many]
    queryset: QuerySet = model._default_manager.filter(organization=organization)
    if sheet.name in ONLY:
        queryset = queryset.filter(ONLY[sheet.name])
    values = queryset.order_by(*sheet.order_by).values_list("pk", *lookups)
    for pk, *found in values.iterator(chunk_size=CHUNK):
        row: Row = []
        given = iter(found)
        for column in sheet.columns:
            if column.many:
                row.append(schema.join_many(many[column.field].get(pk, ())))
            else:
                row.append(next(given))
        yield row


def _units(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    """Units depth-first (a parent before its children), in one query."""
    tree = Unit.objects.filter(organization=organization).tree_order()
    keys = {unit.pk: unit.external_key for unit in tree}
    for unit in tree:
        yield [unit.external_key, unit.name, unit.kind, keys.get(unit.parent_id), unit.order]


def _unit_grants(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    """The explicit edit grants (django-guardian) on the agency's units, in two queries."""
    keys = {
        str(pk): key
        for pk, key in Unit.objects.filter(organization=organization).values_list(
            "pk", "external_key"
        )
    }
    grants = (
        UserObjectPermission.objects.filter(
            content_type=ContentType.objects.get_for_model(Unit),
            permission__codename="edit_unit_items",
            object_pk__in=list(keys),
        )
        .values_list("object_pk", "user__email")
        .order_by("object_pk", "user__email")
    )
    for object_pk, email in grants.iterator(chunk_size=CHUNK):
        yield [keys[object_pk], email]


def _publications(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    """Each publication's document as JSON text, in parts of at most a cell's length."""
    model = _model(sheet)
    versions = (
        model._default_manager.filter(organization=organization)
        .order_by("version")
        .values_list("version", "published_at", "published_by__email", "scheduled", "document")
    )
    size = schema.CELL_LIMIT - 767  # room to spare for a spreadsheet's own escaping
    for version, published_at, by, scheduled, document in versions.iterator(chunk_size=20):
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        parts = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        for number, part in enumerate(parts, start=1):
            yield [version, number, published_at, by, scheduled, part]


# --- Audit history --------------------------------------------------------------------------

# The audited models: their sheet, how an item is named, and how its key reads.
_AUDITED: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Plan", ("title",), ("external_key",)),
    ("Strategic objectives", ("title",), ("external_key",)),
    ("Causal links", ("source__title", "target__title"), ("external_key",)),
    ("Measures", ("name",), ("external_key",)),
    ("Yearly targets", ("measure__name", "fiscal_year"), ("measure__external_key", "fiscal_year")),
    ("Measure values", ("measure__name", "period"), ("measure__external_key", "period")),
    ("Cycles", ("kind", "fiscal_year", "quarter"), ("external_key",)),
    ("OKR objectives", ("title",), ("external_key",)),
    ("Key results", ("title",), ("external_key",)),
    ("Check-ins", ("key_result__title", "as_of"), ("external_key",)),
)
_CHANGE = {"+": "Created", "~": "Changed", "-": "Deleted"}
_UNCOMPARED = {"id", "organization_id", "updated_at", "entered_at", "external_key"}


def _joined(values: tuple[Any, ...], separator: str) -> str:
    return separator.join(schema.csv_text(schema.Kind.TEXT, v) for v in values if v is not None)


def _field_headers(sheet: schema.Sheet, history: type[Model]) -> dict[str, str]:
    """Plain-English names of the fields a history row records: the sheet's header where
    the field is on the sheet, else the field's own name."""
    by_field = {c.field: c.header for c in sheet.columns}
    names = {}
    for field in history._meta.concrete_fields:
        if field.name.startswith("history_") or field.attname in _UNCOMPARED:
            continue
        names[field.attname] = by_field.get(field.name) or str(field.verbose_name).capitalize()
    return names


def _audit(sheet: schema.Sheet, organization: Organization) -> Iterator[Row]:
    """Every history row of the audited models, item by item and oldest first, with the
    fields that changed since the item's previous row (one query per model, streamed)."""
    for name, label, key in _AUDITED:
        item_sheet = schema.sheet(name)
        history = _model(item_sheet).history.model  # type: ignore[attr-defined]
        fields = _field_headers(item_sheet, history)
        lookups = [
            "id",
            "history_date",
            "history_user__email",
            "history_type",
            "history_change_reason",
            *label,
            *key,
            *fields,
        ]
        queryset = (
            history._default_manager.filter(organization_id=organization.pk)
            .order_by("id", "history_date", "history_id")
            .values_list(*lookups)
        )
        previous_id, previous = None, None
        start = 5 + len(label) + len(key)
        for values in queryset.iterator(chunk_size=CHUNK):
            item_id, when, who, kind, reason = values[:5]
            recorded = values[start:]
            changed = ""
            if kind == "~" and previous_id == item_id and previous is not None:
                changed = ", ".join(
                    header
                    for header, old, new in zip(fields.values(), previous, recorded, strict=True)
                    if old != new
                )
            previous_id, previous = item_id, recorded
            yield [
                when,
                who,
                name,
                _joined(values[5 + len(label) : start], " / "),
                _joined(values[5 : 5 + len(label)], " – "),
                _CHANGE.get(kind, kind),
                changed,
                reason or "",
            ]


_READERS: dict[str, Callable[[schema.Sheet, Organization], Iterator[Row]]] = {
    "Units": _units,
    "Unit grants": _unit_grants,
    "Publications": _publications,
    "Audit history": _audit,
}
