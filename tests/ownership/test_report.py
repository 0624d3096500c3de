"""The ownership report counted over rows (issue 17) gives what counting the items did: the
tallies, the rates, the gaps in their order, the shown gaps' items, and the same markup as
the templates the page used to loop in."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.models import KeyResult, OkrObjective
from ownership import views as knobs
from ownership.markup import GapLinks, gap_rows, tally_table
from ownership.report import (
    TYPE_LABELS,
    OwnedItem,
    attach_owners,
    collect_items,
    ownership_report,
)
from ownership.rules import OwnerState
from scorecards.models import Measure, StrategicObjective
from strategyhub.forms import member_choices
from strategyhub.models import User
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def varied(org_a, plan_a, objective_a, measure_a, okr, kr_response, kr_patrols):
    """Items in every owner state, in units sharing a name, with names that tie and names
    that need escaping; a result checked in lately, others never."""
    with scopes_disabled():
        gone = UserFactory(full_name="Gone <Person>")
        MembershipFactory(organization=org_a.org, user=gone, role="editor", is_active=False)
        # Another unit with the team's name (under no parent): the tally counts names.
        twin = UnitFactory(organization=org_a.org, name=org_a.team.name, kind="team")
        perspective = plan_a.perspectives.first()
        for title, owner, unit in [
            ("<b>Safe & sound</b>", None, None),
            ("Same title", None, org_a.team),
            ("Same title", None, twin),
            ("Owned by someone gone", gone, org_a.unit),
            ("Owned by a viewer", org_a.viewer, None),
        ]:
            StrategicObjective.objects.create(
                organization=org_a.org,
                plan=plan_a,
                perspective=perspective,
                title=title,
                owner=owner,
                unit=unit,
            )
        for name, owner, unit in [
            ("Same name", None, twin),
            ("Same name", None, org_a.team),
            ("Measured by someone gone", gone, None),
        ]:
            Measure.objects.create(
                organization=org_a.org,
                objective=objective_a,
                name=name,
                baseline_value=D(1),
                baseline_date=dt.date(2026, 6, 30),
                target_value=D(2),
                owner=owner,
                org_unit=unit,
            )
        orphan = OkrObjective.objects.create(
            organization=org_a.org, cycle=okr.cycle, level="team", title="No results, no owner"
        )
        KeyResult.objects.create(
            organization=org_a.org,
            objective=orphan,
            title="Results of someone gone",
            owner=gone,
            kind="metric",
            start_value=D(0),
            target_value=D(1),
        )
    with scope(organization=org_a.org):
        checkins.record(
            kr_response, org_a.contributor, CheckInEntry(as_of=dt.date(2026, 11, 20), value=D(9))
        )
    return org_a


def _reference(items: list[OwnedItem]) -> dict:
    """The report as it was counted from the items before issue 17."""

    def tally(key):
        groups = defaultdict(Counter)
        for item in items:
            groups[key(item)][item.state] += 1
        return [
            (name, {s.value: counts.get(s, 0) for s in OwnerState}, sum(counts.values()))
            for name, counts in sorted(groups.items())
        ]

    def rate(group):
        judged = [i for i in group if i.status is not None]
        if not judged:
            return None
        return D(sum(1 for i in judged if i.status == "on_track")) / D(len(judged))

    owned = [i for i in items if i.state == OwnerState.ACTIVE]
    not_owned = [i for i in items if i.state in (OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE)]
    order = {"unowned": 0, "owner_inactive": 1, "stale": 2}
    gaps = sorted(
        (i for i in items if i.state != OwnerState.ACTIVE),
        key=lambda i: (order[i.state], list(TYPE_LABELS).index(i.type), i.label),
    )
    owned_rate, unowned_rate = rate(owned), rate(not_owned)
    return {
        "by_type": [
            (TYPE_LABELS[name], counts, total)
            for name, counts, total in sorted(
                tally(lambda i: i.type), key=lambda row: list(TYPE_LABELS).index(row[0])
            )
        ],
        "by_unit": tally(lambda i: i.unit_name or "No unit"),
        "gaps": gaps,
        "owned_rate": owned_rate,
        "unowned_rate": unowned_rate,
        "ratio": owned_rate / unowned_rate if owned_rate is not None and unowned_rate else None,
        "owned_count": len(owned),
        "unowned_count": len(not_owned),
    }


def _fields(item: OwnedItem) -> tuple:
    return (
        item.type,
        item.id,
        item.label,
        item.slug,
        item.unit_name,
        item.unit_id,
        item.owner_id,
        item.state,
        item.status,
        item.status_label,
        item.detail,
        item.extra,
    )


@pytest.mark.parametrize("day", [TODAY, dt.date(2026, 10, 3), dt.date(2026, 12, 31)])
def test_the_report_counts_what_the_items_say(varied, day):
    with scope(organization=varied.org):
        items = collect_items(varied.org, day, with_owners=False)
        report = ownership_report(varied.org, day)
    expected = _reference(items)
    if day == TODAY:  # every state is exercised (nothing is stale three days in)
        assert {i.state for i in items} == set(OwnerState)
    for name in ["by_type", "by_unit", "owned_rate", "unowned_rate", "ratio"]:
        assert getattr(report, name) == expected[name], name
    assert (report.owned_count, report.unowned_count) == (
        expected["owned_count"],
        expected["unowned_count"],
    )
    # The gaps in the same order (ties kept as read), each shown item as the items have it.
    assert [_fields(i) for i in report.gaps] == [_fields(i) for i in expected["gaps"]]
    assert any(name == varied.team.name and total >= 4 for name, _, total in report.by_unit)


def test_the_gaps_make_items_only_when_asked_and_keep_them(varied):
    with scope(organization=varied.org):
        report = ownership_report(varied.org, TODAY)
        gaps = report.gaps
        assert not gaps._made
        count = len(gaps)
        page = gaps[1:3]
        assert len(page) == 2 and set(gaps._made) == {1, 2}
        assert gaps[1] is page[0] and gaps[-count + 2] is page[1]
        assert gaps[-1] is gaps[count - 1]
        with pytest.raises(IndexError):
            gaps[count]
        attach_owners(page)
    assert all(item.owner is None or item.owner.pk == item.owner_id for item in gaps[1:3])
    assert [i.id for i in gaps] == [gaps[n].id for n in range(count)]


# The gap rows and the tally as the page's templates made them before issue 17.
OLD_ROWS = Template(
    """{% load i18n %}{% for item in items %}<tr>
      <th scope="row"><a class="usa-link" href="{{ item.url }}">{{ item.label }}</a></th>
      <td>{{ item.type_label }}</td>
      <td>{{ item.unit_name|default:"—" }}</td>
      <td><strong>{{ item.state_label }}</strong>{% if item.detail and item.state == "stale" %}: {{ item.detail }}{% endif %}</td>
      <td>{{ item.owner.display_name|default:"—" }}</td>
      <td>{% if item.type == "strategic_objective" or item.type == "measure" %}{% if can_reassign_plan %}<a class="usa-button usa-button--outline" href="{% url 'ownership:reassign' slug item.type item.id %}" hx-get="{% url 'ownership:reassign' slug item.type item.id %}" hx-swap="outerHTML">{% translate "Reassign" %}<span class="usa-sr-only"> {{ item.label }}</span></a>{% endif %}{% elif can_reassign_okrs %}<a class="usa-button usa-button--outline" href="{% url 'ownership:reassign' slug item.type item.id %}" hx-get="{% url 'ownership:reassign' slug item.type item.id %}" hx-swap="outerHTML">{% translate "Reassign" %}<span class="usa-sr-only"> {{ item.label }}</span></a>{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501
)
OLD_TALLY = Template(
    """{% load i18n %}<table class="usa-table usa-table--borderless width-full">
  <caption class="usa-sr-only">{{ caption }}</caption>
  <thead><tr><th scope="col">{{ first }}</th><th scope="col" class="text-right">{% translate "Active" %}</th><th scope="col" class="text-right">{% translate "Stale" %}</th><th scope="col" class="text-right">{% translate "Owner inactive" %}</th><th scope="col" class="text-right">{% translate "Unowned" %}</th><th scope="col" class="text-right">{% translate "All" %}</th></tr></thead>
  <tbody>{% for name, counts, total in rows %}<tr><th scope="row">{{ name }}</th><td class="text-right">{{ counts.active }}</td><td class="text-right">{{ counts.stale }}</td><td class="text-right">{{ counts.owner_inactive }}</td><td class="text-right">{{ counts.unowned }}</td><td class="text-right">{{ total }}</td></tr>{% empty %}<tr><td colspan="6">{% translate "Nothing yet." %}</td></tr>{% endfor %}</tbody>
</table>
"""  # noqa: E501
)


@pytest.mark.parametrize("plan, okrs", [(True, True), (True, False), (False, True)])
def test_the_gap_rows_are_the_templates_markup(varied, plan, okrs):
    with scope(organization=varied.org):
        items = collect_items(varied.org, TODAY)
        gaps = [i for i in items if i.state != OwnerState.ACTIVE]
        made = gap_rows(gaps, GapLinks("alpha"), can_reassign_plan=plan, can_reassign_okrs=okrs)
    old = OLD_ROWS.render(
        Context(
            {"items": gaps, "slug": "alpha", "can_reassign_plan": plan, "can_reassign_okrs": okrs}
        )
    )
    assert {i.type for i in gaps} == set(TYPE_LABELS)
    assert any(i.detail and i.state == "stale" for i in gaps)
    assert "&lt;b&gt;Safe &amp; sound&lt;/b&gt;" in made and "Gone &lt;Person&gt;" in made
    assert made == old


def test_the_tallies_are_the_templates_markup(varied):
    with scope(organization=varied.org):
        report = ownership_report(varied.org, TODAY)
    for rows in (report.by_type, report.by_unit, []):
        context = {"rows": rows, "caption": "Items by kind & state", "first": "Kind"}
        assert tally_table(rows, context["caption"], "Kind") == OLD_TALLY.render(Context(context))


def test_whether_there_are_many_members_counts_who_may_own(org_a):
    with scopes_disabled():
        UserFactory()  # not a member
        MembershipFactory(organization=org_a.org, user=UserFactory(is_active=False), role="editor")
        MembershipFactory(
            organization=org_a.org, user=UserFactory(), role="editor", is_active=False
        )
        robot = UserFactory()
        User.objects.filter(pk=robot.pk).update(is_service_account=True)
        MembershipFactory(organization=org_a.org, user=robot, role="editor")
        MembershipFactory(organization=org_a.org, user=UserFactory(), role="viewer")
    with scope(organization=org_a.org):
        count = member_choices(org_a.org).count()
        assert count == 3  # the admin, the editor and the contributor
        assert ownership_report(org_a.org, TODAY).owner_candidates == count


def test_the_page_shows_the_gaps_page_by_page(client, varied, django_assert_max_num_queries):
    with scope(organization=varied.org):
        report = ownership_report(varied.org, TODAY)
        gaps = list(report.gaps)
        attach_owners(gaps)
    client.force_login(varied.admin)
    url = reverse("ownership:page", args=["alpha"])
    body = client.get(url).content.decode()
    assert f"Gaps ({len(gaps)})" in body
    rows = body.split("<tbody>")[-1].split("</tbody>")[0]
    # A small agency: the reassignment form on every row.
    assert rows.count('name="owner"') == len(gaps) == rows.count("<tr>")
    for item in gaps:
        assert f'href="{item.url}"' in rows
        assert (
            f'hx-post="{reverse("ownership:reassign", args=["alpha", item.type, item.id])}"' in rows
        )
    assert "Same title" in rows and "Gone &lt;Person&gt;" in rows
    assert rows.index("&lt;b&gt;Safe") < rows.index("Same title")


def test_a_later_page_of_gaps_stays_within_budget(
    client, varied, django_assert_max_num_queries, monkeypatch, cold_pages
):
    monkeypatch.setattr(knobs, "GAPS_PER_PAGE", 3)
    with scope(organization=varied.org):
        gaps = list(ownership_report(varied.org, TODAY).gaps)
    client.force_login(varied.admin)
    url = reverse("ownership:page", args=["alpha"])
    pages = -(-len(gaps) // 3)
    for number in (1, pages):
        with django_assert_max_num_queries(20):
            body = client.get(f"{url}?page={number}").content.decode()
        shown = gaps[(number - 1) * 3 : number * 3]
        for item in shown:
            assert f'href="{item.url}"' in body
        assert f"Page {number} of {pages}" in body
