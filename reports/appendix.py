"""The appendix of every number in an edition, as CSV: one row per value of every measure
(with the target for its period), then one row per measure's summary figures, then the
OKR scores, each number as displayed and at full precision where the report has it. Read
from the edition's frozen content, so it says what the edition says."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

HEADER = [
    "section",
    "perspective",
    "objective",
    "item",
    "period",
    "figure",
    "shown",
    "exact",
]


def rows(content: dict) -> Iterator[list[str]]:
    period = content["period"]["label"]
    for row in content["summary"]["measures"]["rows"]:
        yield ["summary", "", "", "measures", period, row["label"], str(row["count"]), ""]
        yield [
            "summary",
            "",
            "",
            "measures",
            content["previous_period"]["label"],
            row["label"],
            str(row["previous"]),
            "",
        ]
    for p in content["perspectives"]:
        for o in p["objectives"]:
            yield [
                "objective",
                p["name"],
                o["title"],
                o["title"],
                period,
                "status",
                o["status_label"],
                "",
            ]
            for m in o["measures"]:
                base = ["measure", p["name"], o["title"], m["name"]]
                yield [*base, m["value_period"], "value", m["value"], m["value_raw"] or ""]
                yield [*base, period, "target due", m["target_due"], ""]
                yield [*base, period, "five-year target", m["five_year_target"], ""]
                yield [*base, period, "status", m["status_label"], ""]
                yield [*base, period, "trend", m["trend_text"], ""]
                yield [*base, period, "likelihood", m["likelihood_label"], m["forecast"] or ""]
                for r in m["rows"]:
                    yield [*base, r["period_label"], "value", r["value"], r["value_raw"]]
                    yield [*base, r["period_label"], "target for the period", r["target"], ""]
                for k in m["key_results"]:
                    yield [
                        *base,
                        k["cycle"],
                        f"key result: {k['title']}",
                        k["score"],
                        k["score_raw"] or "",
                    ]
    for o in content["summary"]["okr"]["objectives"]:
        yield [
            "okr",
            "",
            o["title"],
            o["title"],
            o["cycle"],
            "score",
            o["score"],
            o["score_raw"] or "",
        ]


NUMBER = re.compile(r"^[+\-]?\$?[\d.,]+%?$")


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a signed number stays as it is)."""
    if cell[:1] in "=@\t\r" or (cell[:1] in "+-" and not NUMBER.match(cell)):
        return "'" + cell
    return cell


def to_csv(content: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(content):
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()
