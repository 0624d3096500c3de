"""What one import run carries from sheet to sheet: the agency, the person importing, every
problem, the per-sheet counts, and the index of every keyed row (the agency's own rows and
the ones this workbook adds), by which a reference cell is resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from dataio import schema
from dataio.importing.problems import Problems
from strategyhub.models import Organization, User


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class Context:
    organization: Organization
    user: User | None
    today: dt.date
    dry_run: bool
    problems: Problems = field(default_factory=Problems)
    counts: dict[str, Counts] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)  # model labels written (for signals)
    progress: Callable[[str, int], None] = lambda phase, rows: None
    _index: dict[str, dict[str, Any]] = field(default_factory=dict)

    def model(self, spec: schema.Sheet) -> type[models.Model]:
        return apps.get_model(spec.model)

    def index(self, sheet_name: str) -> dict[str, Any]:
        """``{Key: row}`` of a keyed sheet: this agency's rows, loaded on first use, plus the
        rows this workbook adds (registered by :meth:`register`)."""
        if sheet_name not in self._index:
            spec = schema.sheet(sheet_name)
            model = self.model(spec)
            rows = model.objects.filter(organization=self.organization)  # type: ignore[attr-defined]
            self._index[sheet_name] = {row.external_key: row for row in rows}
        return self._index[sheet_name]

    def register(self, sheet_name: str, key: str, row: Any) -> None:
        self.index(sheet_name)[key] = row

    phase: str = ""
    rows_before: int = 0  # rows of the sheets done before the current one

    def start_sheet(self, phase: str, rows_before: int) -> None:
        self.phase, self.rows_before = phase, rows_before
        self.progress(phase, rows_before)

    def tick(self, rows_in_sheet: int) -> None:
        """Progress within the current sheet (written where the run page reads it)."""
        self.progress(self.phase, self.rows_before + rows_in_sheet)

    def count(self, sheet_name: str) -> Counts:
        return self.counts.setdefault(sheet_name, Counts())

    def notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)
