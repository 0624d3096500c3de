"""The appendix of every number in an edition, as CSV: one row per value of every measure
(with the target for its period), then one row per measure's summary figures, then the
OKR scores, each number as displayed and at full precision where the report has it. Read
from the edition's frozen content, so it says what the edition says."""

from __future__ import annotations

import io
from collections.abc import Iterator

from strategyhub import csvsafe

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


def to_csv(content: dict) -> str:
    """The appendix as CSV through the one CSV writer (``strategyhub.csvsafe``: no cell a
    spreadsheet runs as a formula; a BOM, since it is downloaded to open in Excel)."""
    out = io.StringIO()
    writer = csvsafe.writer(out, bom=True)
    writer.writerow(HEADER)
    writer.writerows(rows(content))
    return out.getvalue()
