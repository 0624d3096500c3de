"""The measures table's objective groups written in Python (``measure_row.measure_groups``)
are the markup the template's loop wrote: an owned objective with measures, an unowned one
without any, a title that needs escaping."""

from django.template import Context, Template
from django_scopes import scope
from pytest_django.asserts import assertHTMLEqual

from scorecards import queries
from scorecards.models import StrategicObjective

# The loop as scorecards/_measure_table.html had it before the groups were written in Python.
TEMPLATE_LOOP = """{% load i18n scorecard_rows %}{% for row in groups %}
  <tbody class="sh-scorecard__group">
    <tr class="sh-scorecard__objective"><th scope="colgroup" colspan="8"><a class="usa-link" href="{% url 'scorecards:objective' organization.slug row.objective.pk %}">{{ row.objective.title }}</a>
      <span class="text-normal text-base-darker">· {% translate "owner" %} {% if row.objective.owner %}{{ row.objective.owner.display_name }}{% else %}<span class="sh-unowned">{% translate "none" %}</span>{% endif %}</span></th></tr>
    {% for state in row.measures %}{% measure_row state %}{% empty %}<tr><td colspan="8" class="text-base-darker">{% translate "No measure yet." %}</td></tr>{% endfor %}
  </tbody>
  {% endfor %}"""  # noqa: E501 (quoted as it was)


def test_python_groups_are_the_template_groups(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        StrategicObjective.objects.create(
            organization=org_a.org,
            plan=plan_a,
            perspective=plan_a.perspectives.first(),
            title='Safer "streets" & <parks>',
        )
        overview = queries.plan_overview(plan_a, org_a.org, org_a.org.today())
        groups = [row for block in overview.perspectives for row in block.objectives]
        assert any(row.measures for row in groups) and any(not row.measures for row in groups)
        context = Context({"groups": groups, "organization": org_a.org})
        old = Template(TEMPLATE_LOOP).render(context)
        new = Template("{% load scorecard_rows %}{% measure_groups groups %}").render(context)
    assertHTMLEqual(new, old)
    assert "Safer &quot;streets&quot; &amp; &lt;parks&gt;" in new
