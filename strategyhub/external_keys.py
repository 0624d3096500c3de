"""External keys: each exported row's stable key within its own agency (docs/data.md).

The public ids (``public_id``) are unique across every agency, so an agency's export cannot
be imported into another agency (or restored into a fresh one) by them. Each model an
agency's workbook identifies by a ``Key`` column carries ``external_key``: unique per agency
(``external_key_constraint``), made for a new row by its default (a short prefix naming the
kind of row and ten random base32 characters, 50 bits: ``MEA-7Q2K4XW9ZB``), kept as it is
by every edit, and set to the workbook's key when an import creates the row (so a re-import
of the same file finds it again and changes nothing).

The prefixes are for people reading a workbook; nothing parses them, and a key typed into a
template may be any text of at most ``LENGTH`` characters.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.db import models
from django.utils.deconstruct import deconstructible

LENGTH = 40
FIELD = "external_key"
_BATCH = 2000


@deconstructible(path="strategyhub.external_keys.NewKey")
class NewKey:
    """The default of an ``external_key`` field: ``<prefix>-`` and ten base32 characters."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self) -> str:
        return f"{self.prefix}-{base64.b32encode(secrets.token_bytes(10)).decode()[:10]}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewKey) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def external_key_field(prefix: str) -> models.CharField:
    return models.CharField(
        "external key",
        max_length=LENGTH,
        default=NewKey(prefix),
        editable=False,
        help_text="The row's stable key in this agency's workbooks (export and import).",
    )


def external_key_constraint() -> models.UniqueConstraint:
    """One row per key in an agency (the name is made per model by Django's interpolation)."""
    return models.UniqueConstraint(
        fields=["organization", FIELD], name="%(app_label)s_%(class)s_external_key"
    )


def fill(model: Any, prefix: str, historical: Any | None = None) -> None:
    """Give every existing row of ``model`` (a migration's model) a key, and the rows of its
    history table the key of their row (a deleted row's history a new one). For the data
    migration between the nullable column and the constrained one."""
    make = NewKey(prefix)
    manager = model._base_manager
    keys: dict[int, str] = {}
    pending = []
    for row in manager.filter(external_key__isnull=True).only("pk").iterator(chunk_size=_BATCH):
        row.external_key = keys[row.pk] = make()
        pending.append(row)
        if len(pending) >= _BATCH:
            manager.bulk_update(pending, [FIELD])
            pending = []
    if pending:
        manager.bulk_update(pending, [FIELD])
    if historical is None:
        return
    known = dict(manager.values_list("pk", FIELD))
    history = historical._base_manager
    pending = []
    rows = history.filter(external_key__isnull=True).only("history_id", "id")
    for row in rows.iterator(chunk_size=_BATCH):
        row.external_key = known.get(row.id) or known.setdefault(row.id, make())
        pending.append(row)
        if len(pending) >= _BATCH:
            history.bulk_update(pending, [FIELD])
            pending = []
    if pending:
        history.bulk_update(pending, [FIELD])


def migration_operations(app_label: str, prefixes: dict[str, str], historical: set[str]) -> list:
    """The operations adding ``external_key`` to the models ``prefixes`` names (model name →
    prefix; ``historical``: those with a history table), in three steps: a nullable column,
    every row filled, then the column required and unique per agency."""
    from django.db import migrations

    def nullable() -> models.CharField:
        return models.CharField("external key", max_length=LENGTH, null=True, editable=False)

    def fill_all(apps: Any, schema_editor: Any) -> None:
        for name, prefix in prefixes.items():
            history = apps.get_model(app_label, f"historical{name}") if name in historical else None
            fill(apps.get_model(app_label, name), prefix, history)

    operations: list = []
    for name in prefixes:
        operations.append(migrations.AddField(name, FIELD, nullable()))
        if name in historical:
            operations.append(migrations.AddField(f"historical{name}", FIELD, nullable()))
    operations.append(migrations.RunPython(fill_all, migrations.RunPython.noop, elidable=True))
    for name, prefix in prefixes.items():
        operations.append(migrations.AlterField(name, FIELD, external_key_field(prefix)))
        if name in historical:
            operations.append(
                migrations.AlterField(f"historical{name}", FIELD, external_key_field(prefix))
            )
        constraint = external_key_constraint()
        constraint.name = f"{app_label}_{name}_external_key"
        operations.append(migrations.AddConstraint(name, constraint))
    return operations
