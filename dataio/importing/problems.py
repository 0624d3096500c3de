"""One problem of an import: where it is (sheet, row, column), the value found and what
was expected. Every check of the import adds to one :class:`Problems` list instead of
stopping at the first, so the report lists them all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# A report of hundreds of thousands of problems helps nobody and fills the run's row: the
# first MAX_KEPT are kept, the rest counted.
MAX_KEPT = 1000


@dataclass(frozen=True)
class Problem:
    message: str  # what is wrong / what was expected, in plain English
    sheet: str = ""  # "" for the file as a whole
    row: int | None = None  # the spreadsheet's row number (the heading is row 1)
    column: str = ""  # the column's heading
    value: str = ""  # the value found, as text

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts) or "the file"

    def __str__(self) -> str:
        found = f' (found "{self.value}")' if self.value else ""
        return f"{self.where()}: {self.message}{found}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def shown(value: Any) -> str:
    """A cell's value as the report shows it (short)."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class Problems:
    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(
        self,
        message: str,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        value: Any = None,
    ) -> None:
        self.count += 1
        if len(self.kept) < MAX_KEPT:
            self.kept.append(Problem(message, sheet, row, column, shown(value)))

    def extend(self, other: Problems) -> None:
        for problem in other.kept:
            if len(self.kept) < MAX_KEPT:
                self.kept.append(problem)
        self.count += other.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.kept)


class ImportRefused(Exception):
    """The file (or its content) cannot be imported; ``problems`` says every reason."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in list(problems)[:5]))


def report_error(
    problems: Problems,
    sheet: str,
    error: ValidationError,
    number: int,
    header_of: dict[str, str],
    values: dict[str, Any] | None = None,
) -> None:
    """Each message of a model's or a service's refusal, on the column of its field."""
    messages = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for name, texts in messages.items():
        header = header_of.get(name, "")
        for text in texts:
            problems.add(
                text, sheet=sheet, row=number, column=header, value=(values or {}).get(header)
            )
