"""The cycle overview's repeated markup written in Python is the markup its templates
wrote: the cycle switcher (``okrs.cycle_rows``), the page numbers (``{% page_links %}``,
shared with the perspective page), the filters' options (``{% select_options %}``); and the
alignment tree's words looked up once per page still fit each row."""

import re
from decimal import Decimal as D

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django_scopes import scopes_disabled

from okrs.cycle_rows import cycle_links
from okrs.cycles import ensure_cycles
from okrs.models import Cycle
from okrs.queries import TreeRow
from okrs.tree import nest, render
from strategyhub.status import Status
from strategyhub.templatetags.pagination_tags import page_links, shown_pages
from strategyhub.templatetags.strategyhub_tags import select_options
from tests.conftest import DEFAULT_TODAY

# The loops the templates had before they moved to Python (issue 17), word for word.
TEMPLATE_CYCLES = Template(
    '{% for c in cycles %}<li><a class="usa-link" href="{% url \'okrs:cycle_detail\' slug c.pk %}"'
    '{% if c.pk == cycle.pk %} aria-current="page"{% endif %}>{{ c.label }}</a></li>{% endfor %}'
)
TEMPLATE_PAGES = Template(
    '{% for n in page.paginator.page_range %}<li class="usa-pagination__item '
    'usa-pagination__page-no"><a class="usa-pagination__button{% if n == page.number %} '
    'usa-current{% endif %}" href="?{% if query %}{{ query }}&amp;{% endif %}page={{ n }}"'
    '{% if n == page.number %} aria-current="page"{% endif %} aria-label="{% blocktranslate %}'
    'Page {{ n }}{% endblocktranslate %}">{{ n }}</a></li>{% endfor %}'
)
OVERFLOW = (
    '<li class="usa-pagination__item usa-pagination__overflow">'
    '<span aria-hidden="true">…</span><span class="usa-sr-only">'
)


def test_the_cycle_switcher_is_the_templates(org_a):
    with scopes_disabled():
        cycles = ensure_cycles(org_a.org, 2026) + ensure_cycles(org_a.org, 2027)
    for current in (cycles[0], cycles[3], cycles[-1]):
        stock = TEMPLATE_CYCLES.render(
            Context({"cycles": cycles, "cycle": current, "slug": "alpha"})
        )
        assert cycle_links(cycles, current, "alpha") == stock
        assert stock.count('aria-current="page"') == 1


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", ["", "owner=12", "unit=3&owner=12&status=at_risk"])
@pytest.mark.parametrize(
    ("count", "number", "shown"),
    [
        (1, 1, [1]),
        (61, 2, [1, 2]),
        (290, 1, [1, 2, None, 5]),
        (290, 3, [1, 2, 3, 4, 5]),
        (290, 5, [1, None, 4, 5]),
        (3000, 27, [1, None, 26, 27, 28, None, 50]),
        (3000, 50, [1, None, 49, 50]),
    ],
)
def test_the_page_numbers_are_the_templates(language, query, count, number, shown):
    """The first, the last and the shown page's neighbours, each link as the template loop
    wrote it, an ellipsis where pages are left out."""
    page = Paginator(list(range(count)), 60).get_page(number)
    assert shown_pages(page.number, page.paginator.num_pages) == shown
    with translation.override(language):
        stock = TEMPLATE_PAGES.render(Context({"page": page, "query": query}))
        links = re.findall(r"<li[^>]*usa-pagination__page-no.*?</li>", stock)
        expected = "".join(
            links[n - 1]
            if n is not None
            else f"{OVERFLOW}{translation.gettext('Pages left out')}</span></li>"
            for n in shown
        )
        assert page_links(page, query) == expected
    assert page_links(page, query).count('aria-current="page"') == 1


@pytest.mark.parametrize("selected", ["", "2", "x", 3])
def test_the_options_are_format_html_joins(selected):
    choices = [
        (1, "Ana"),
        (2, 'Bo "B" <b@example.gov> & co'),
        (3, mark_safe("<em>kept</em>")),
        ("x", "O'Neil"),
        ('"q"', ""),
    ]
    stock = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == str(selected) else "", label)
            for value, label in choices
        ),
    )
    assert select_options(choices, selected) == stock


def _row(pk, *, depth=0, score=None, kr_count=4, unit="Fire", owner="Ana", status=Status.ON_TRACK):
    return TreeRow(
        pk=pk,
        title=f"Objective <{pk}>",
        is_draft=pk == 2,
        level="unit",
        level_label="Unit",
        parent_id=None,
        unit_id=1,
        unit_name=unit,
        owner_id=1 if owner else None,
        owner_name=owner,
        strategic_objective_id=9 if pk % 2 else None,
        strategic_title="Safer & faster",
        score_value=score,
        status=status,
        kr_count=kr_count,
        depth=depth,
    )


def test_the_trees_words_looked_up_once_fit_every_row():
    rows = [
        _row(1, score=D("0.5"), kr_count=1),
        _row(2, depth=1, score=D("0.50"), kr_count=2, owner="", status=Status.AT_RISK),
        _row(3, depth=1, score=None, kr_count=1, unit=""),
        _row(4, score=D("0.72"), kr_count=2, unit="Fire & <Rescue>"),
    ]
    html = render(nest(rows), "/o/alpha/okrs/objectives/", "/o/alpha/plan/objectives/")
    items = html.split('<li class="sh-tree__item">')[1:]
    assert len(items) == 4
    assert "Unit · Fire · Ana · 1 key result<" in items[0]
    assert 'Unit · Fire · <span class="sh-unowned">No owner</span> · 2 key results<' in items[1]
    assert "Unit · Ana · 1 key result<" in items[2]
    assert "Unit · Fire &amp; &lt;Rescue&gt; · Ana · 2 key results<" in items[3]
    assert items[0].count('data-value-text="0.50"') == 1 and 'data-value-text="0.50"' in items[1]
    assert 'data-value-text="—"' in items[2] and 'data-value-text="0.72"' in items[3]
    assert '<span class="usa-tag">Draft</span>' in items[1]
    assert "sh-status--at_risk" in items[1] and "sh-status--on_track" in items[3]
    assert "2 objectives contributing to “Objective &lt;1&gt;”" in items[0]
    assert rows[0].score == "0.50" and rows[2].score is None


def _current_label(body: str) -> str:
    switcher = body[body.index('class="sh-inline-list"') :].split("</ul>")[0]
    return switcher.split('aria-current="page">')[1].split("<")[0]


@pytest.mark.usefixtures("clock")
def test_the_overview_finds_or_creates_the_running_quarter(client, org_a, cold_pages):
    """The running quarter is found among the switcher's cycles (no query of its own) and
    created on demand when the daily job has not made it yet."""
    client.force_login(org_a.viewer)
    url = reverse("okrs:cycle", args=["alpha"])
    with scopes_disabled():
        assert not Cycle.objects.filter(organization=org_a.org).exists()
    body = client.get(url).content.decode()  # no cycles at all yet: created
    with scopes_disabled():
        running = Cycle.objects.get(
            organization=org_a.org, kind="quarter", start__lte=DEFAULT_TODAY, end__gte=DEFAULT_TODAY
        )
    assert _current_label(body) == running.label
    assert f"OKRs, {running.label}" in body
    again = client.get(url).content.decode()  # found among the cycles read
    assert _current_label(again) == running.label
    with scopes_disabled():
        other = Cycle.objects.filter(organization=org_a.org).exclude(pk=running.pk).first()
    shown = client.get(reverse("okrs:cycle_detail", args=["alpha", other.pk])).content.decode()
    assert _current_label(shown) == other.label
