"""The plan overview's summary rows written in Python (``scorecards.plan_rows``) are the
markup the template's loop wrote, for every status, count, owner and awkward title, in
each language; the perspectives' addresses are ``reverse()``'s."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from scorecards import plan_rows
from scorecards.summary import ObjectiveSummary
from strategyhub.status import Status

# The loop ``plan.html`` had before the rows moved to Python (issue 17), word for word.
TEMPLATE_ROWS = Template(
    "{% load strategyhub_tags %}"
    '{% translate "No measure yet" as no_measure_yet %}{% translate "No owner" as no_owner %}'
    """    {% for row in objectives %}
      <tr>
        <th scope="row"><a class="usa-link" href="{% url 'scorecards:objective' slug row.pk %}">{{ row.title }}</a></th>
        <td>{% status_badge row.status %}</td>
        <td>{% for value, label, count in row.counts %}{{ count }} {{ label|lower }}{% if not forloop.last %}, {% endif %}{% empty %}{{ no_measure_yet }}{% endfor %}</td>
        <td>{% if row.owner_name %}{{ row.owner_name }}{% else %}<span class="sh-unowned">{{ no_owner }}</span>{% endif %}</td>
      </tr>
    {% endfor %}
"""  # noqa: E501
)


def _between_tags(html: str) -> str:
    """The markup without the template's indentation between tags (text is kept)."""
    return re.sub(r">\s+<", "><", html).strip()


def _counts(*pairs: tuple[Status, int]) -> list[tuple[str, str, int]]:
    return [(status.value, status.label, count) for status, count in pairs]


def _objectives() -> list[ObjectiveSummary]:
    return [
        ObjectiveSummary(
            pk=7,
            title="Reduce <response> times & \"waits\" for 'all'",
            owner_name="Ana O'Neil <ana@example.gov>",
            status=Status.OFF_TRACK,
            counts=_counts((Status.ON_TRACK, 2), (Status.OFF_TRACK, 1), (Status.NO_DATA, 12)),
        ),
        ObjectiveSummary(pk=12, title="Empty", owner_name="", status=Status.NO_DATA, counts=[]),
        *(
            ObjectiveSummary(
                pk=100 + index,
                title=f"Objective {index}",
                owner_name="" if index % 2 else "Bo",
                status=status,
                counts=_counts((status, index + 1)),
            )
            for index, status in enumerate(Status)
        ),
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_python_rows_are_the_templates(language):
    objectives = _objectives()
    with translation.override(language):
        stock = TEMPLATE_ROWS.render(Context({"objectives": objectives, "slug": "alpha"}))
        fast = plan_rows.objective_rows(
            objectives, plan_rows.url_with_id("scorecards:objective", "alpha")
        )
    assert _between_tags(fast) == _between_tags(stock)
    assert fast.count("<tr>") == len(objectives)
    assert "&lt;response&gt; times &amp; &quot;waits&quot; for &#x27;all&#x27;" in fast


def test_no_objectives_no_rows():
    assert plan_rows.objective_rows([], lambda pk: f"/{pk}/") == ""


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("scorecards:objective", ["alpha"]),
        ("scorecards:perspective", ["alpha"]),
        ("scorecards:perspective_edit", ["alpha", 3]),
        ("scorecards:theme_edit", ["beta", 40]),
    ],
)
def test_an_address_with_its_id_put_in_is_reverses(name, args):
    url = plan_rows.url_with_id(name, *args)
    for pk in (0, 1, 9, 10, 305, 123456):
        assert url(pk) == reverse(name, args=[*args, pk])


def test_id_url_is_the_url_tag():
    html = Template(
        "{% load plan_tags %}{% for pk in ids %}"
        "{% id_url 'scorecards:perspective' slug pk as page %}{{ page }}|"
        "{% url 'scorecards:perspective' slug pk %}|"
        "{% id_url 'scorecards:theme_edit' slug 4 pk %}|"
        "{% url 'scorecards:theme_edit' slug 4 pk %}|"
        "{% endfor %}"
    ).render(Context({"ids": [1, 10, 31, 305], "slug": "alpha"}))
    parts = html.split("|")[:-1]
    assert len(parts) == 16
    for fast, stock in zip(parts[::2], parts[1::2], strict=True):
        assert fast == stock
