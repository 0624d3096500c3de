from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from strategyhub import fiscal
from strategyhub.ui import charts, dates, progress
from strategyhub.ui.formatting import format_percent_share, format_plain

register = template.Library()


@register.simple_tag
def sparkline(state):
    """The measure's recent values as a sparkline with the target due now as its dashed
    reference line (both edges of a range's band), all said in its label. The target comes
    from the state's specification and today's date: nothing more is read."""
    values = [value for _, value in state.recent]
    text = state.trend_text()
    label = _("Trend of %(name)s: %(trend)s") % {
        "name": state.measure.name,
        "trend": f"{text[:1].lower()}{text[1:]}",
    }
    if values:
        label = _("%(label)s, from %(first)s to %(last)s") % {
            "label": label,
            "first": state.measure.format(values[0]),
            "last": state.measure.format(values[-1]),
        }
    if not state.targets_loaded:
        return charts.sparkline(values, label)
    band = state.due_now
    return charts.sparkline(
        values,
        label,
        target=[band.low] if band.is_point else [band.low, band.high],
        target_text=state.due_now_text(),
    )


@register.simple_tag(takes_context=True)
def period_label(context, measure, period):
    """The period a value of ``measure`` is for, named by its frequency (a month, a fiscal
    quarter or a fiscal year: ``strategyhub.fiscal.period_label``), in the agency in scope."""
    if period is None:
        return ""
    organization = context.get("organization") or measure.organization
    month = organization.fiscal_year_start_month
    style = organization.fiscal_year_label_style
    return fiscal.period_label(period, fiscal.Frequency(measure.update_frequency), month, style)


@register.simple_tag(takes_context=True)
def history_change(context, record, measure=None):
    """What a history row of a measure's value or yearly target changed to, after its type
    ("Created"): " Q1 FY 2026–27: 8.9 min", " FY 2030–31: floor 7.4 min, stretch 7.2 min";
    values in the measure's unit and decimals (``Measure.format``), the period and fiscal
    year labelled as everywhere else (the agency's label style). Other rows: nothing."""
    period, year = getattr(record, "period", None), getattr(record, "fiscal_year", None)
    if period is None and year is None:
        return ""
    if not measure:  # not in the page's context ("")
        measure = getattr(record, "measure", None)
    if measure is None:
        return ""
    if period is not None:
        return f" {period_label(context, measure, period)}: {measure.format(record.value)}"
    organization = context.get("organization") or measure.organization
    month, style = organization.fiscal_year_start_month, organization.fiscal_year_label_style
    label = fiscal.fiscal_year(int(year), month, style).label
    text = f" {label}: floor {measure.format(record.floor)}"
    if getattr(record, "range_high", None) is not None:
        text += f" to {measure.format(record.range_high)}"
    if record.stretch is not None:
        text += f", stretch {measure.format(record.stretch)}"
    return text


@register.simple_tag(takes_context=True)
def history_rows(context, records, measure=None):
    """The rows of a history table (``_history.html``): when, who (and why), what changed.
    Made in Python with the template's markup: the measure page shows up to seventy rows,
    and the template's loop with a filter and a tag per row was a sixth of its first build
    (issue 17)."""
    system = _("system")
    rows = []
    kinds: dict[str, str] = {}  # "Created", "Changed", "Deleted": looked up once each
    for record in records:
        kind = kinds.get(record.history_type)
        if kind is None:
            kind = kinds[record.history_type] = str(record.get_history_type_display())
        user = record.history_user
        who = conditional_escape(user.display_name if user is not None else system) or system
        reason = record.history_change_reason
        why = (
            f'<br><span class="text-base-darker">{conditional_escape(reason)}</span>'
            if reason
            else ""
        )
        change = conditional_escape(f"{kind}{history_change(context, record, measure)}")
        rows.append(
            f"<tr><td>{conditional_escape(dates.brief_moment(record.history_date))}</td>"
            f"<td>{who}{why}</td><td>{change}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (every text escaped)


@register.filter
def fmt(value, measure):
    return measure.format(value)


@register.filter
def plain(value):
    """A Decimal as typed: 8.980000 → 8.98, 470.000000 → 470."""
    return format_plain(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def fy(year, organization):
    """A fiscal year (named by the year it starts in) as the product labels it elsewhere."""
    month = organization.fiscal_year_start_month
    return fiscal.fiscal_year(int(year), month, organization.fiscal_year_label_style).label


@register.simple_tag
def measure_progress(state):
    """A measure's progress to its five-year target as a bar, with the target due now
    marked on it and said in words (``strategyhub.ui.progress``)."""
    due = state.due_now_progress
    if due is None:
        return progress.progress_bar(state.progress, state.progress_text())
    return progress.progress_bar(
        state.progress,
        state.progress_text(),
        mark=due,
        note=_("due now: %(due)s") % {"due": format_percent_share(due)},
    )
