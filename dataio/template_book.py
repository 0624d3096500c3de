"""The import template (docs/data.md): a workbook with every importable sheet of
``dataio.schema``, its headings, one example row (the rows refer to each other, so the
example reads as one small plan) and the allowed values of every choice and yes/no column
as an Excel data-validation list, plus the "Read me" sheet.

The example rows are there to be overwritten: a template imported unchanged adds the
example agency's items.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dataio import readme, schema

LAST_ROW = 5000  # the validation lists cover this many rows
EMAIL = "jane.doe@example.gov"

EXAMPLES: dict[str, dict[str, Any]] = {
    "Units": {"Key": "UNIT-1", "Name": "Police Department", "Kind": "department", "Order": 1},
    "Members": {
        "Email": EMAIL,
        "Name": "Jane Doe",
        "Role": "editor",
        "Home unit": "UNIT-1",
        "Active": True,
    },
    "Unit grants": {"Unit": "UNIT-1", "Member": EMAIL},
    "Plan": {
        "Key": "PLAN-1",
        "Title": "Strategic plan 2026–2030",
        "Mission": "Keep every resident safe and served with fairness, speed and respect.",
        "Vision": "A city where every neighbourhood is safe.",
        "Values": "Integrity\nService",
        "First fiscal year": 2026,
        "Last fiscal year": 2030,
        "Status": "active",
    },
    "Perspectives": {"Key": "PER-1", "Plan": "PLAN-1", "Name": "Community outcomes", "Order": 1},
    "Themes": {"Key": "THM-1", "Plan": "PLAN-1", "Name": "Safe neighbourhoods", "Order": 1},
    "Strategic objectives": {
        "Key": "OBJ-1",
        "Plan": "PLAN-1",
        "Perspective": "PER-1",
        "Theme": "THM-1",
        "Unit": "UNIT-1",
        "Owner": EMAIL,
        "Title": "Reduce violent crime",
        "Order": 1,
    },
    "Causal links": {
        "Key": "LNK-1",
        "From objective": "OBJ-2",
        "To objective": "OBJ-1",
        "Pathway": "Trained officers resolve crisis calls faster.",
    },
    "Measures": {
        "Key": "MEA-1",
        "Objective": "OBJ-1",
        "Name": "Violent crime rate per 100,000",
        "Unit of measure": "rate",
        "Rate base": 100000,
        "Decimals": 0,
        "Polarity": "lower",
        "Baseline value": Decimal(485),
        "Baseline date": dt.date(2026, 6, 30),
        "Five-year target": Decimal(364),
        "Tolerance": Decimal(8),
        "Update frequency": "monthly",
        "Owner": EMAIL,
        "Organisational unit": "UNIT-1",
        "Visibility": "public",
        "Value source": "entered",
        "Roll-up method": "latest",
    },
    "Yearly targets": {
        "Measure": "MEA-1",
        "Fiscal year": 2026,
        "Floor": Decimal("460.8"),
        "Stretch": Decimal("448.7"),
    },
    "Measure values": {
        "Measure": "MEA-1",
        "Period": dt.date(2026, 7, 1),
        "Value": Decimal("478.56"),
        "Source": "import",
    },
    "Focus map": {"Objective": "OBJ-1", "Fiscal year": 2026, "Quarter": 1, "Level": "high"},
    "Cycles": {
        "Key": "CYC-1",
        "Kind": "quarter",
        "Fiscal year": 2026,
        "Quarter": 1,
        "Start": dt.date(2026, 7, 1),
        "End": dt.date(2026, 9, 30),
        "Status": "active",
    },
    "OKR objectives": {
        "Key": "OKR-1",
        "Cycle": "CYC-1",
        "Level": "unit",
        "Unit": "UNIT-1",
        "Owner": EMAIL,
        "Title": "Reduce violent crime in priority districts",
        "Strategic objective": "OBJ-1",
        "Status": "active",
    },
    "Key results": {
        "Key": "KR-1",
        "OKR objective": "OKR-1",
        "Title": "Increase foot patrols by 40%",
        "Owner": EMAIL,
        "Kind": "metric",
        "Unit of measure": "count",
        "Decimals": 0,
        "Start value": Decimal(100),
        "Target value": Decimal(140),
        "Weight": Decimal(1),
        "Counterweight": False,
    },
    "Check-ins": {
        "Key": "CHK-1",
        "Key result": "KR-1",
        "As of": dt.date(2026, 7, 10),
        "Value": Decimal(104),
        "Confidence": 7,
        "What moved": "Two more patrols in Ward 5.",
        "Author": EMAIL,
    },
    "Quarterly reviews": {
        "OKR objective": "OKR-1",
        "Final score": Decimal("0.7"),
        "What worked": "Patrols with community events.",
        "Lessons": "Start the dispatch work earlier.",
    },
    "Frozen scores": {
        "Key result": "KR-1",
        "Review decision": "complete",
        "Frozen score": Decimal("0.88"),
    },
    "Publications": {
        "Version": 1,
        "Part": 1,
        "Published by": EMAIL,
        "Scheduled": False,
        "Document": '{"schema": "strategyhub.publication/1"}',
    },
}


def validation(column: schema.Column) -> DataValidation | None:
    """The Excel list of a column's allowed values (None for a free column)."""
    if column.kind not in (schema.Kind.CHOICE, schema.Kind.BOOL) or not column.choices:
        return None
    formula = '"' + ",".join(column.choices) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        return None
    rule = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
    rule.error = f"{column.header}: choose one of {', '.join(column.choices)}."
    rule.errorTitle = "Not an allowed value"
    rule.prompt = f"One of: {', '.join(column.choices)}"
    rule.promptTitle = column.header
    rule.showErrorMessage = True
    rule.showInputMessage = True
    return rule


def write_template(out: str | IO[bytes]) -> None:
    workbook = Workbook()
    info = workbook.active
    info.title = schema.README
    for row in readme.rows(None, timezone.now()):
        info.append(row)
    bold = Font(bold=True)
    for sheet in schema.importable_sheets():
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list(sheet.headers))
        for cell in worksheet[1]:
            cell.font = bold
        example = EXAMPLES.get(sheet.name, {})
        worksheet.append([example.get(header) for header in sheet.headers])
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].width = max(12, min(40, len(column.header) + 4))
            if column.kind == schema.Kind.DATE:
                worksheet[f"{letter}2"].number_format = "yyyy-mm-dd"
            rule = validation(column)
            if rule is not None:
                worksheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{LAST_ROW}")
    workbook.save(out)
