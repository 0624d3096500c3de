"""``{% page_links page query %}``: the numbered items of a list's pagination
(``_pagination.html``), written in one call rather than by the template's loop — a loop
with a translated label, two comparisons and a query string per page number cost more than
the rest of the navigation (issue 17). Each link's markup is the template loop's
(``tests/okrs/test_cycle_rows.py`` compares them); a long list links to its first, last
and neighbouring pages only."""

from __future__ import annotations

from django import template
from django.core.paginator import Page
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub.ui.markup import escape_text

register = template.Library()


def shown_pages(number: int, last: int) -> list[int | None]:
    """The page numbers a list's navigation links to: the first, the last, and the shown
    page with its neighbours, in order, None where pages are left out (USWDS's pattern).
    Bounded at any length (a quarter of 3,000 objectives has 50 pages), and narrow enough to
    wrap on a phone."""
    wanted = sorted({1, last, *range(max(1, number - 1), min(last, number + 1) + 1)})
    shown: list[int | None] = []
    previous = 0
    for n in wanted:
        if previous and n > previous + 1:
            shown.append(None)
        shown.append(n)
        previous = n
    return shown


@register.simple_tag
def page_links(page: Page, query: str = "") -> SafeString:
    """An ``<li>`` linking to each page of ``page``'s list that is shown (``shown_pages``),
    the shown one marked current, an ellipsis item where pages are left out; ``query`` (the
    other filters, already a query string) kept on every link."""
    prefix = f"?{escape_text(query)}&amp;page=" if query else "?page="
    label = gettext("Page %(n)s")
    left_out = escape_text(gettext("Pages left out"))
    number = page.number
    here = ' aria-current="page"'
    items = []
    for n in shown_pages(number, page.paginator.num_pages):
        if n is None:
            items.append(
                '<li class="usa-pagination__item usa-pagination__overflow">'
                f'<span aria-hidden="true">…</span><span class="usa-sr-only">{left_out}</span>'
                "</li>"
            )
            continue
        current = n == number
        items.append(
            '<li class="usa-pagination__item usa-pagination__page-no">'
            f'<a class="usa-pagination__button{" usa-current" if current else ""}"'
            f' href="{prefix}{n}"{here if current else ""}'
            f' aria-label="{escape_text(label % {"n": n})}">{n}</a></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (numbers and escaped texts only)
