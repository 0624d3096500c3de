"""One row of the scorecard's measures table (``_measure_table.html``): the plan overview,
the perspective dashboards and the objective pages list measures in it.

Made in Python rather than by a template included per row: a perspective's page shows about
a hundred rows, and the template engine's cost per included row (context pushes, variable
lookups, a tag call per cell) was most of the page's first build (issue 17). The cells are
the same as everywhere else (the value format of ``Measure.format``, the period labels of
``strategyhub.fiscal``, the status badge, the progress bar and the sparkline of the
scorecard's template tags); only the words of the row are looked up here, with ``gettext``.
Every text from the database is escaped once, where it is placed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub import fiscal
from strategyhub.status import Status
from strategyhub.ui.badges import status_badge

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scorecards.queries import MeasureState, ObjectiveRow
    from strategyhub.models import Organization


def measure_url_prefix(organization: Organization) -> str:
    """The address of a measure's page without its id: ``…/plan/measures/`` (reversed once
    per table, not once per row)."""
    return reverse("scorecards:measure", args=[organization.slug, 0])[:-2]


def measure_row(state: MeasureState, organization: Organization, url_prefix: str) -> SafeString:
    """The ``<tr>`` of ``state``'s measure, in ``organization`` (its fiscal year and labels)."""
    # The template tags of the progress bar and the sparkline, called as functions: the
    # one drawing of each (imported here: the tag library imports this app's models).
    from scorecards.templatetags.scorecard_tags import measure_progress, sparkline

    measure = state.measure
    assessment = state.assessment
    name = conditional_escape(measure.name)
    internal = ""
    if measure.visibility == "internal":
        word = conditional_escape(gettext("Internal"))  # outside the f-string: makemessages
        internal = f' <span class="sh-badge">{word}</span>'

    period = ""
    if assessment.latest_period:
        label = fiscal.period_label(
            assessment.latest_period,
            fiscal.Frequency(measure.update_frequency),
            organization.fiscal_year_start_month,
            organization.fiscal_year_label_style,
        )
        period = (
            f' <span class="text-base-darker font-sans-3xs">· {conditional_escape(label)}</span>'
        )
    status = status_badge(state.status)
    if state.status == Status.STALE:
        last = conditional_escape(gettext("last:"))
        status += mark_safe(  # noqa: S308 (an escaped word and a badge)
            f'<br><span class="font-sans-3xs">{last} {status_badge(assessment.comparison)}</span>'
        )
    if measure.owner:
        owner = conditional_escape(measure.owner.display_name)
    else:
        no_owner = conditional_escape(gettext("No owner"))
        owner = f'<span class="sh-unowned">{no_owner}</span>'

    baseline = conditional_escape(measure.format(measure.baseline_value))
    return mark_safe(  # noqa: S308 (every text escaped above or below)
        "<tr>"
        f'<th scope="row"><a class="usa-link" href="{url_prefix}{measure.pk}/">{name}</a>'
        f"{internal}</th>"
        f'<td class="text-right sh-nowrap">{baseline}</td>'
        # The value and its period on one line ("8.9 min · November 2026"): the table
        # scrolls in its own region rather than wrapping a value over lines.
        f'<td class="text-right sh-nowrap">'
        f"{conditional_escape(measure.format(assessment.latest_value))}{period}</td>"
        f'<td class="text-right sh-nowrap">{conditional_escape(state.due_now_text())}</td>'
        f"<td>{status}</td>"
        f"<td>{measure_progress(state)}</td>"
        f"<td>{sparkline(state)}</td>"
        f"<td>{owner}</td>"
        "</tr>"
    )


def measure_groups(
    groups: Iterable[ObjectiveRow], organization: Organization, url_prefix: str
) -> SafeString:
    """A ``<tbody>`` per objective of ``groups``: its header row (title linking to its page,
    owner) and its measures' rows (``measure_row``), or a row saying it has none yet."""
    objective_prefix = reverse("scorecards:objective", args=[organization.slug, 0])[:-2]
    owner_word = conditional_escape(gettext("owner"))
    # Words looked up outside the f-strings: makemessages does not read calls in them.
    none, no_measure = gettext("none"), gettext("No measure yet.")
    no_owner = f'<span class="sh-unowned">{conditional_escape(none)}</span>'
    empty = (
        f'<tr><td colspan="8" class="text-base-darker">{conditional_escape(no_measure)}</td></tr>'
    )

    parts: list[str] = []
    for row in groups:
        objective = row.objective
        owner = objective.owner
        parts.append(
            '<tbody class="sh-scorecard__group"><tr class="sh-scorecard__objective">'
            '<th scope="colgroup" colspan="8"><a class="usa-link" '
            f'href="{objective_prefix}{objective.pk}/">{conditional_escape(objective.title)}</a> '
            f'<span class="text-normal text-base-darker">· {owner_word} '
            f"{conditional_escape(owner.display_name) if owner else no_owner}</span></th></tr>"
        )
        if row.measures:
            parts.extend(measure_row(state, organization, url_prefix) for state in row.measures)
        else:
            parts.append(empty)
        parts.append("</tbody>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
