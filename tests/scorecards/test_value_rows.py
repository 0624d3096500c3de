# ruff: noqa: E501 (the template loop is quoted as it was, long lines and all)
"""The values table's rows written in Python (``scorecards.value_rows``) are the markup the
template's loop wrote, for every kind of row: a point target and a range, a note that
needs escaping, no one recorded as entering it, with and without correction forms."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.urls import reverse
from django_scopes import scope
from pytest_django.asserts import assertHTMLEqual

from scorecards import calc
from scorecards.models import MeasureValue, ValueSource
from scorecards.queries import ValueRow
from strategyhub.status import Status

# The loop as scorecards/measure.html had it before the rows were written in Python.
TEMPLATE_LOOP = """{% load i18n scorecard_tags strategyhub_tags %}
{% url 'scorecards:measure_value' organization.slug measure.pk as value_url %}
{% for row in rows %}{% period_label measure row.value.period as row_period %}<tr>
  <th scope="row">{{ row_period }}</th>
  <td class="text-right">{{ row.value.value|fmt:measure }}</td>
  <td class="text-right">{% if row.expected.is_point %}{{ row.expected.low|fmt:measure }}{% else %}{% blocktranslate with low=row.expected.low|fmt:measure high=row.expected.high|fmt:measure %}{{ low }} to {{ high }}{% endblocktranslate %}{% endif %}</td>
  <td>{% status_badge row.status %}</td>
  <td>{{ row.value.note }}</td>
  <td>{{ row.value.entered_by.display_name|default:"—" }}</td>
  {% if can_enter and not measure.is_calculated %}<td>
    <details><summary>{% translate "Correct" %}<span class="usa-sr-only"> {{ row_period }}</span></summary>
      <form method="post" action="{{ value_url }}" class="usa-form"
            hx-post="{{ value_url }}" hx-target="#measure-live" hx-swap="outerHTML">
        {% csrf_token %}
        <input type="hidden" name="period" value="{{ row.value.period|date:'Y-m-d' }}">
        <input type="hidden" name="correction" value="True">
        <label class="usa-label" for="correct-{{ row.value.pk }}">{% blocktranslate %}Corrected value for {{ row_period }}{% endblocktranslate %}</label>
        <input class="usa-input" id="correct-{{ row.value.pk }}" name="value" inputmode="decimal" value="{{ row.value.value|plain }}">
        <label class="usa-label" for="note-{{ row.value.pk }}">{% translate "Why it changed" %}</label>
        <input class="usa-input" id="note-{{ row.value.pk }}" name="note" value="{{ row.value.note }}">
        <button type="submit" class="usa-button usa-button--outline">{% translate "Save correction" %}</button>
      </form>
    </details>
  </td>{% endif %}
</tr>{% endfor %}"""

NEW = "{% load scorecard_rows %}{% value_rows rows %}"


def _rows(measure, contributor):
    return [
        ValueRow(
            MeasureValue(
                pk=11,
                measure=measure,
                period=dt.date(2026, 10, 1),
                value=D("472.500000"),
                note='Late "reports" & <b>gaps</b>',
                entered_by=contributor,
            ),
            calc.Band(D("400.25"), D("410")),
            Status.AT_RISK,
        ),
        ValueRow(
            MeasureValue(pk=12, measure=measure, period=dt.date(2026, 9, 1), value=D(470)),
            calc.Band.point(D("480.4")),
            Status.ON_TRACK,
        ),
    ]


@pytest.mark.parametrize("can_enter", [True, False])
@pytest.mark.parametrize("calculated", [False, True])
def test_python_rows_are_the_template_rows(org_a, measure_a, can_enter, calculated):
    if calculated:
        measure_a.value_source = ValueSource.CALCULATED
    with scope(organization=org_a.org):
        context = {
            "rows": _rows(measure_a, org_a.contributor),
            "measure": measure_a,
            "organization": org_a.org,
            "can_enter": can_enter,
            "csrf_token": "token-123",
        }
        old = Template(TEMPLATE_LOOP).render(Context(context))
        new = Template(NEW).render(Context(context))
    assertHTMLEqual(new, old)
    assert ("token-123" in new) is (can_enter and not calculated)
    assert "Late &quot;reports&quot; &amp; &lt;b&gt;gaps&lt;/b&gt;" in new


def test_the_measure_page_shows_the_rows_and_their_forms(client, org_a, measure_a):
    client.force_login(org_a.contributor)  # the owner: may correct values
    body = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content.decode()
    assert 'name="correction" value="True"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    client.force_login(org_a.viewer)
    body = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content.decode()
    assert 'name="correction"' not in body and "470" in body
