"""The report's narrative, written from the numbers: deterministic templates over the data,
not a language model (docs/reports.md).

Rules:

* Every number is worded **as displayed** (``strategyhub.ui.formatting``: the measure's
  decimals and unit), and every comparison is made between the displayed numbers, so the
  text never says "better than 8.8" beside a shown 8.8: a value that rounds to its target
  "meets" it.
* Wording is **direction-aware**: "fell" is good for a lower-is-better measure (crime,
  response time) and bad for a higher-is-better one; a range measure is within or outside
  its range.
* A change in a share (a percent of a whole) is in **percentage points**; any other change
  in percent of the earlier value, left out when the earlier displayed value is zero.
* **Sentences of 20 words or fewer** (``MAX_WORDS``): a sentence that would run longer is
  split in two.
* Marked for translation (``gettext`` and ``ngettext`` with named placeholders, so a
  translation may reorder them), ready for the project's first message catalogue.

Pure functions: plain values in, a list of sentences out; no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from scorecards.calc import Band, Polarity
from strategyhub import units
from strategyhub.fiscal import MONTH_NAMES
from strategyhub.status import Status
from strategyhub.ui.formatting import format_number, format_quantity, quantize

MAX_WORDS = 20


def words(sentence: str) -> int:
    return len(sentence.split())


@dataclass(frozen=True)
class MeasureFacts:
    """What the narrative of one measure reads."""

    name: str
    polarity: Polarity
    unit_kind: str
    rate_per: int | None
    decimals: int
    status: Status
    current: Decimal | None  # the latest value as of the period's end
    current_label: str  # its period's name ("December 2026", "Q2 FY 2026–27")
    previous: Decimal | None  # the latest value as of the previous period's end
    expected: Band | None  # the target due at the end of the latest value's period
    first_period: bool = False  # no value before this period's


def _fmt(facts: MeasureFacts, value: Decimal) -> str:
    return format_quantity(value, facts.decimals, facts.unit_kind, facts.rate_per)


def _shown(facts: MeasureFacts, value: Decimal) -> Decimal:
    return quantize(value, facts.decimals)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _join(first: str, clause: str, fallback: str) -> list[str]:
    """``first`` and ``clause`` as one sentence ("…, better than …") when short enough,
    else two sentences (``fallback`` is the clause as a sentence of its own)."""
    combined = f"{first}, {clause}"
    if words(combined) <= MAX_WORDS:
        return [_sentence(combined)]
    return [_sentence(first), _sentence(fallback)]


def _change(facts: MeasureFacts, previous: Decimal, current: Decimal, subject: str = "") -> str:
    """The movement from ``previous`` to ``current`` as displayed (``subject``: the
    sentence's subject, the measure's name unless given)."""
    before, after = _shown(facts, previous), _shown(facts, current)
    values = {
        "name": subject or facts.name,
        "previous": _fmt(facts, previous),
        "current": _fmt(facts, current),
    }
    if after == before:
        return _("%(name)s held steady at %(current)s") % values
    rose = after > before
    if units.is_share(facts.unit_kind):
        points = format_number(abs(after - before), facts.decimals)
        values["points"] = points
        if rose:
            return (
                _("%(name)s rose from %(previous)s to %(current)s, up %(points)s points") % values
            )
        return _("%(name)s fell from %(previous)s to %(current)s, down %(points)s points") % values
    if before != 0 and not units.is_signed(facts.unit_kind):
        values["percent"] = format_number(abs((after - before) / before * 100), 0) + "%"
        if rose:
            return _("%(name)s rose %(percent)s, from %(previous)s to %(current)s") % values
        return _("%(name)s fell %(percent)s, from %(previous)s to %(current)s") % values
    if rose:
        return _("%(name)s rose from %(previous)s to %(current)s") % values
    return _("%(name)s fell from %(previous)s to %(current)s") % values


def _against_target(facts: MeasureFacts, current: Decimal) -> tuple[str, str] | None:
    """The comparison with the target due, as a clause and as a sentence of its own."""
    expected = facts.expected
    if expected is None:
        return None
    shown = _shown(facts, current)
    low, high = _shown(facts, expected.low), _shown(facts, expected.high)
    if not expected.is_point or facts.polarity == Polarity.RANGE:
        band = {"low": _fmt(facts, expected.low), "high": _fmt(facts, expected.high)}
        if low <= shown <= high:
            if low == high:
                return (
                    _("exactly the %(low)s planned") % band,
                    _("That is exactly the %(low)s planned") % band,
                )
            return (
                _("within the planned %(low)s to %(high)s") % band,
                _("That is within the planned %(low)s to %(high)s") % band,
            )
        return (
            _("outside the planned %(low)s to %(high)s") % band,
            _("That is outside the planned %(low)s to %(high)s") % band,
        )
    target = {"target": _fmt(facts, expected.low)}
    if shown == low:
        return (
            _("exactly the %(target)s planned") % target,
            _("That is exactly the %(target)s planned") % target,
        )
    better = shown < low if facts.polarity == Polarity.LOWER else shown > low
    if better:
        return (
            _("better than the %(target)s planned") % target,
            _("That is better than the %(target)s planned") % target,
        )
    if facts.polarity == Polarity.LOWER:
        return (
            _("above the %(target)s planned") % target,
            _("That is above the %(target)s planned") % target,
        )
    return (
        _("short of the %(target)s planned") % target,
        _("That is short of the %(target)s planned") % target,
    )


STATUS_SENTENCES = {
    Status.AT_RISK: gettext_noop("It is at risk: the miss is within its tolerance."),
    Status.OFF_TRACK: gettext_noop("It is off track."),
}


def measure_sentences(facts: MeasureFacts) -> list[str]:
    """The measure's paragraph: what moved, against the plan, and a warning when needed."""
    if facts.current is None:
        return [_sentence(_("No value of %(name)s has been reported yet") % {"name": facts.name})]
    value = {
        "name": facts.name,
        "current": _fmt(facts, facts.current),
        "period": facts.current_label,
    }
    if facts.status == Status.STALE:
        return [
            _sentence(_("%(name)s has not been updated since %(period)s") % value),
            _sentence(_("Its last value, %(current)s, is out of date") % value),
        ]
    if facts.previous is None or facts.first_period:
        first = _("%(name)s was %(current)s in %(period)s, its first reported value") % value
        sentences = [_sentence(first)]
        against = _against_target(facts, facts.current)
        if against:
            sentences.append(_sentence(against[1]))
    else:
        first = _change(facts, facts.previous, facts.current)
        against = _against_target(facts, facts.current)
        if words(first) + 1 > MAX_WORDS:  # a long name: name the value, then the change
            sentences = [
                _sentence(_("%(name)s was %(current)s in %(period)s") % value),
                _sentence(_change(facts, facts.previous, facts.current, subject=_("It"))),
            ]
            if against:
                sentences.append(_sentence(against[1]))
        else:
            sentences = _join(first, *against) if against else [_sentence(first)]
    if facts.status in STATUS_SENTENCES:
        sentences.append(_(STATUS_SENTENCES[facts.status]))
    return sentences


# --- The summary ----------------------------------------------------------------------------


STATUS_COUNT_TEXT = {
    Status.ON_TRACK: ("%(count)d measure is on track", "%(count)d measures are on track"),
    Status.AT_RISK: ("%(count)d measure is at risk", "%(count)d measures are at risk"),
    Status.OFF_TRACK: ("%(count)d measure is off track", "%(count)d measures are off track"),
    Status.NO_DATA: ("%(count)d measure has no data", "%(count)d measures have no data"),
    Status.STALE: ("%(count)d measure is out of date", "%(count)d measures are out of date"),
}


def _versus(now: int, before: int | None, previous_label: str) -> str:
    if before is None:
        return ""
    difference = now - before
    values = {"count": abs(difference), "period": previous_label}
    if difference == 0:
        return _("the same as in %(period)s") % values
    if difference > 0:
        return (
            ngettext(
                "%(count)d more than in %(period)s",
                "%(count)d more than in %(period)s",
                abs(difference),
            )
            % values
        )
    return (
        ngettext(
            "%(count)d fewer than in %(period)s",
            "%(count)d fewer than in %(period)s",
            abs(difference),
        )
        % values
    )


def summary_sentences(
    total: int,
    counts: dict[str, int],
    previous_counts: dict[str, int] | None,
    previous_label: str,
) -> list[str]:
    """The status counts of the measures in words, each against the previous period."""
    if total == 0:
        return [_("This report covers no measures.")]
    sentences = [
        ngettext(
            "This report covers %(count)d measure.",
            "This report covers %(count)d measures.",
            total,
        )
        % {"count": total}
    ]
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.STALE, Status.NO_DATA):
        count = counts.get(status.value, 0)
        before = previous_counts.get(status.value, 0) if previous_counts is not None else None
        if count == 0 and not before:
            continue
        singular, plural = STATUS_COUNT_TEXT[status]
        text = ngettext(singular, plural, count) % {"count": count}
        versus = _versus(count, before, previous_label)
        sentences.append(_sentence(f"{text}, {versus}" if versus else text))
    return sentences


def okr_sentences(met: int, total: int, mean: Decimal | None) -> list[str]:
    """The quarter's OKR results against the success mark of 0.7."""
    if total == 0:
        return [_("No OKR objective was scored in this period.")]
    text = ngettext(
        "%(met)d of %(total)d OKR objective scored 0.7 or more.",
        "%(met)d of %(total)d OKR objectives scored 0.7 or more.",
        total,
    ) % {"met": met, "total": total}
    sentences = [text]
    if mean is not None:
        sentences.append(
            _("The average score was %(mean)s, against 0.7 for success.")
            % {"mean": format_number(mean, 2)}
        )
    return sentences


def ownership_sentences(
    owned: int, unowned: int, owned_rate: Decimal | None, unowned_rate: Decimal | None
) -> list[str]:
    """Ownership coverage and the agency's own owned-versus-unowned on-track rates."""
    total = owned + unowned
    if total == 0:
        return []
    sentences = [
        ngettext(
            "%(owned)d of %(total)d objective and measure has an active owner.",
            "%(owned)d of %(total)d objectives and measures have an active owner.",
            total,
        )
        % {"owned": owned, "total": total}
    ]
    if owned_rate is not None and unowned_rate is not None:
        sentences.append(
            _("%(owned)s of owned items are on track, against %(unowned)s of unowned ones.")
            % {
                "owned": format_number(owned_rate * 100, 0) + "%",
                "unowned": format_number(unowned_rate * 100, 0) + "%",
            }
        )
    return sentences


def likelihood_sentence(name: str, likelihood: str, target_date: dt.date) -> str:
    values = {"name": name, "due": f"{MONTH_NAMES[target_date.month - 1]} {target_date.year}"}
    texts = {
        "likely": _("%(name)s is likely to meet its target by %(due)s.") % values,
        "possible": _("%(name)s may meet its target by %(due)s.") % values,
        "unlikely": _("%(name)s is unlikely to meet its target by %(due)s.") % values,
    }
    return texts.get(likelihood, _("There is not enough data to forecast %(name)s.") % values)
