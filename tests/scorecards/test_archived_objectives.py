"""An archived strategic objective keeps its own page (so it can be restored), and a causal
link to an archived objective does not break the strategy map."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from scorecards.models import CausalLink, StrategicObjective
from scorecards.plans import archive_objective

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def linked(org_a, plan_a, objective_a, measure_a):
    with scopes_disabled():
        other = StrategicObjective.objects.create(
            organization=org_a.org,
            plan=plan_a,
            perspective=plan_a.perspectives.last(),
            title="Build crisis-intervention capability",
        )
        CausalLink.objects.create(organization=org_a.org, source=other, target=objective_a)
        return other


def test_an_archived_objective_page_opens_and_offers_restore(client, org_a, objective_a, linked):
    with scopes_disabled():
        archive_objective(objective_a)
    client.force_login(org_a.editor)
    response = client.get(reverse("scorecards:objective", args=["alpha", objective_a.pk]))
    assert response.status_code == 200
    assert "archived" in response.content.decode().lower()
    # The linked objective's page still opens too.
    assert client.get(reverse("scorecards:objective", args=["alpha", linked.pk])).status_code == 200


@pytest.mark.parametrize("archived", ["target", "source"])
def test_the_strategy_map_survives_a_link_to_an_archived_objective(
    client, org_a, plan_a, objective_a, linked, archived
):
    with scopes_disabled():
        archive_objective(objective_a if archived == "target" else linked)
    client.force_login(org_a.viewer)
    response = client.get(reverse("scorecards:strategy_map", args=["alpha", plan_a.pk]))
    assert response.status_code == 200
    for name in ("scorecards:plan", "scorecards:focus_map"):
        args = ["alpha"] if name == "scorecards:plan" else ["alpha", plan_a.pk]
        assert client.get(reverse(name, args=args)).status_code == 200
