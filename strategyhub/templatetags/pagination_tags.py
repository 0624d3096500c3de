"""``{% page_links page query %}``: the numbered items of a list's pagination
(``_pagination.html``), written in one call rather than by the template's loop — a loop
with a translated label, two comparisons and a query string per page number cost more than
the rest of the navigation (issue 17). The markup is the template's
(``tests/okrs/test_cycle_rows.py`` compares them)."""

from __future__ import annotations

from django import template
from django.core.paginator import Page
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub.ui.markup import escape_text

register = template.Library()


@register.simple_tag
def page_links(page: Page, query: str = "") -> SafeString:
    """An ``<li>`` linking to each page of ``page``'s list, the shown one marked current;
    ``query`` (the other filters, already a query string) kept on every link."""
    prefix = f"?{escape_text(query)}&amp;page=" if query else "?page="
    label = gettext("Page %(n)s")  # the template's {% blocktranslate %}Page {{ n }}
    number = page.number
    here = ' aria-current="page"'
    items = []
    for n in page.paginator.page_range:
        current = n == number
        items.append(
            '<li class="usa-pagination__item usa-pagination__page-no">'
            f'<a class="usa-pagination__button{" usa-current" if current else ""}"'
            f' href="{prefix}{n}"{here if current else ""}'
            f' aria-label="{escape_text(label % {"n": n})}">{n}</a></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (numbers and escaped texts only)
