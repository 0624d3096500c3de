"""The strategy map page: the laid-out drawing in its own scrollable region, status in words,
links to the objectives, the links as text, and a query count that does not grow with the
plan."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from scorecards.models import CausalLink, StrategicObjective

pytestmark = pytest.mark.usefixtures("clock")


def _grow(
    org, plan, objectives_n: int, links_n: int, prefix: str = "Objective"
) -> list[StrategicObjective]:
    with scopes_disabled():
        perspectives = list(plan.perspectives.all())
        objectives = StrategicObjective.objects.bulk_create(
            StrategicObjective(
                organization=org,
                plan=plan,
                perspective=perspectives[i % len(perspectives)],
                title=f"{prefix} {i}",
                order=i,
            )
            for i in range(objectives_n)
        )
        rng = random.Random(5)  # noqa: S311 (a fixed seed: generated test data)
        pairs = set()
        while len(pairs) < links_n:
            source, target = rng.sample(objectives, 2)
            if (target.pk, source.pk) not in pairs:
                pairs.add((source.pk, target.pk))
        CausalLink.objects.bulk_create(
            CausalLink(organization=org, source_id=s, target_id=t) for s, t in sorted(pairs)
        )
    return objectives


def test_the_map_draws_every_objective_and_link_in_a_named_scrollable_region(client, org_a, plan_a):
    objectives = _grow(org_a.org, plan_a, 14, 18)
    client.force_login(org_a.viewer)
    body = client.get(reverse("scorecards:strategy_map", args=["alpha", plan_a.pk])).content
    html = body.decode()
    region = re.search(
        r'<div class="sh-map-region" role="region" tabindex="0" aria-label="[^"]+"', html
    )
    assert region, "the map scrolls inside its own focusable, named region"
    drawings = re.findall(r'<svg class="sh-map" data-layout="(\w+)".*?</svg>', html, re.S)
    assert drawings == ["narrow", "wide"]  # the phone's and the laptop's (CSS shows one)
    for name in drawings:
        start = html.index(f'<svg class="sh-map" data-layout="{name}"')
        svg = html[start : html.index("</svg>", start)]
        assert svg.count(f'marker-end="url(#arrow-{name})"') == 18  # one arrow a link
        # each arrow says what it means
        assert (
            len(re.findall(r"<title>Objective \d+ drives Objective \d+</title></path>", svg)) == 18
        )
        for objective in objectives:
            assert reverse("scorecards:objective", args=["alpha", objective.pk]) in svg
        assert svg.count(">No data</text>") == 14  # status in words in every box
        # Drawn no smaller than 12/14 of its size, so its 14-unit labels stay 12 px or more.
        view_w = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        drawn_w = float(re.search(r' width="([\d.]+)" height=', svg).group(1))
        assert drawn_w >= view_w * 12 / 14 - 1
        assert 'font-size="1' in svg and not re.search(r'font-size="(\d|1[01])"', svg)
        assert f'aria-labelledby="map-title-{name} map-desc-{name}"' in svg
    links = html.split('id="links-h"', 1)[1].split("</ul>", 1)[0]
    assert links.count(" drives") == 18  # the same links as text


def test_the_map_costs_the_same_queries_for_a_large_plan(
    client, org_a, plan_a, django_assert_max_num_queries, cold_pages
):
    url = reverse("scorecards:strategy_map", args=["alpha", plan_a.pk])
    client.force_login(org_a.editor)  # the editor also gets the form and its choices
    _grow(org_a.org, plan_a, 3, 2)
    client.get(url)  # warm the session and the permission caches alike
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _grow(org_a.org, plan_a, 120, 160, prefix="Goal")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('marker-end="url(#arrow-') == 2 * 162
