"""The rows of a measure page's values table (``scorecards/measure.html``): each value with
its period, the target due at the end of that period, its status, note and who entered it,
and, for those who may correct values, a correction form in a disclosure.

Made in Python rather than by the template's loop: a measure of five years' monthly values
has sixty rows, and the loop's tags and filters per row (the period label, three number
formats, the badge, the form) were a fifth of the page's first build (issue 17). The markup
is the template's (``tests/scorecards/test_value_rows.py`` compares the two); words are
looked up once per table with ``gettext`` and every text is escaped where it is placed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub import fiscal
from strategyhub.ui.badges import status_badge
from strategyhub.ui.formatting import format_plain
from strategyhub.ui.markup import escape_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scorecards.models import Measure
    from scorecards.queries import ValueRow
    from strategyhub.models import Organization


def value_rows(
    rows: Iterable[ValueRow],
    measure: Measure,
    organization: Organization,
    *,
    correction_url: str | None,
    csrf_token: str,
) -> SafeString:
    """The ``<tr>`` of each row, the latest first as given; with ``correction_url`` (the
    person may enter values and the measure is not calculated) each has its correction
    form, posting there with ``csrf_token``."""
    frequency = fiscal.Frequency(measure.update_frequency)
    month, style = organization.fiscal_year_start_month, organization.fiscal_year_label_style
    # Words of the table, once: text of {% translate %} is escaped as the template did; the
    # sentences with values in them are formatted with escaped values.
    between = gettext("%(low)s to %(high)s")
    correct = escape_text(gettext("Correct"))
    corrected_for = gettext("Corrected value for %(row_period)s")
    why = escape_text(gettext("Why it changed"))
    save = escape_text(gettext("Save correction"))
    url = escape_text(correction_url) if correction_url else ""
    token = escape_text(csrf_token)
    parts: list[str] = []
    for row in rows:
        value = row.value
        period = escape_text(fiscal.period_label(value.period, frequency, month, style))
        expected = row.expected
        if expected.is_point:
            target = escape_text(measure.format(expected.low))
        else:
            target = between % {
                "low": escape_text(measure.format(expected.low)),
                "high": escape_text(measure.format(expected.high)),
            }
        entered_by = value.entered_by
        who = escape_text(entered_by.display_name if entered_by is not None else "") or "—"
        note = escape_text(value.note)
        parts.append(
            f'<tr><th scope="row">{period}</th>'
            f'<td class="text-right">{escape_text(measure.format(value.value))}</td>'
            f'<td class="text-right">{target}</td>'
            f"<td>{status_badge(row.status)}</td>"
            f"<td>{note}</td><td>{who}</td>"
        )
        if correction_url:
            pk = value.pk
            parts.append(
                f'<td><details><summary>{correct}<span class="usa-sr-only"> {period}</span>'
                f'</summary><form method="post" action="{url}" class="usa-form" '
                f'hx-post="{url}" hx-target="#measure-live" hx-swap="outerHTML">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                f'<input type="hidden" name="period" value="{value.period.isoformat()}">'
                '<input type="hidden" name="correction" value="True">'
                f'<label class="usa-label" for="correct-{pk}">'
                f"{corrected_for % {'row_period': period}}</label>"
                f'<input class="usa-input" id="correct-{pk}" name="value" inputmode="decimal" '
                f'value="{escape_text(format_plain(value.value))}">'
                f'<label class="usa-label" for="note-{pk}">{why}</label>'
                f'<input class="usa-input" id="note-{pk}" name="note" value="{note}">'
                f'<button type="submit" class="usa-button usa-button--outline">{save}</button>'
                "</form></details></td>"
            )
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
