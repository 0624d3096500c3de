"""The one progress bar of the staff pages (docs/ui.md): a key result's or an objective's
score against the 0.7 of success, a measure's progress to its five-year target against the
target due now, an update's completion.

The value is text, always beside the bar ("0.45", "23%", "3 of 5"), so it reads the same
to everyone and survives high-contrast modes and print; the bar is a picture of that number,
drawn as SVG (no ``style`` attribute: Content-Security-Policy) and hidden from assistive
technology, which would otherwise read the same value twice. A mark on the bar (success,
the target due now) is said in words in the text too. The bar is clamped to its track;
the text is not (progress of −2% or 150% shows as such). Pure presentation over Decimals:
the numbers come already computed by the apps' rules, formatted by ``formatting``.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ZERO = Decimal(0)
ONE = Decimal(1)


def _percent(share: Decimal) -> str:
    """A 0–1 share as the bar's x coordinate (0–100, one decimal)."""
    clamped = min(max(share, ZERO), ONE)
    return f"{clamped * 100:.1f}"


def progress_bar(
    share: Decimal | None,
    text: str,
    *,
    mark: Decimal | None = None,
    note: str = "",
    level: str = "",
) -> SafeString:
    """A bar filled to ``share`` (0–1; None: an empty track) with ``text`` (the value as
    people read it) beside it, an optional ``mark`` (0–1) drawn across the bar and ``note``
    (the mark in words, e.g. "success at 0.7"). ``level`` ("done") shades the fill.
    The fill never judges (a score of 0.4 mid-quarter may be on track by its pace): the status
    badge beside it does, in words."""
    # Built with one f-string (a page draws a bar per row, hundreds of them): the numbers
    # are formatted here, the two texts escaped once each.
    fill = (
        ""
        if share is None
        else f'<rect class="sh-progress__fill" x="0" y="2" width="{_percent(share)}" height="8"/>'
    )
    mark_line = ""
    if mark is not None:
        x = _percent(mark)
        mark_line = f'<line class="sh-progress__mark" x1="{x}" x2="{x}" y1="0" y2="12"/>'
    words = conditional_escape(text)
    note_html = (
        f' <span class="sh-progress__note">{conditional_escape(note)}</span>' if note else ""
    )
    classes = "sh-progress" + (f" sh-progress--{level}" if level else "")
    return mark_safe(  # noqa: S308 (numbers, a fixed class and escaped texts only)
        f'<span class="{classes}" data-value-text="{words}">'
        '<svg class="sh-progress__bar" viewBox="0 0 100 12" preserveAspectRatio="none"'
        ' aria-hidden="true" focusable="false">'
        '<rect class="sh-progress__track" x="0" y="2" width="100" height="8"/>'
        f"{fill}{mark_line}</svg>"
        f'<span class="sh-progress__text">{words}{note_html}</span></span>'
    )


def score_bar(score: Decimal | None, score_text: str | None, success: Decimal) -> SafeString:
    """A 0–1 score (a key result's or an objective's) against ``success`` (0.7)."""
    if score is None or score_text is None:
        return progress_bar(None, "—", mark=success, note=_("no score yet"))
    return progress_bar(
        score,
        score_text,
        mark=success,
        note=_("of 1.0 (success: %(success)s)") % {"success": f"{success:.1f}"},
    )


def completion_bar(done: int, total: int) -> SafeString:
    """How many of ``total`` are done ("3 of 5 updated")."""
    share = Decimal(done) / Decimal(total) if total else None
    text = _("%(done)s of %(total)s") % {"done": done, "total": total}
    return progress_bar(share, text, level="done" if total and done >= total else "")
