"""The deterministic agency generator (small scale; the large one is for the benchmark)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from okrs.models import CheckIn, KeyResult, OkrObjective
from publicdash.models import Publication
from scorecards.models import Measure, MeasureValue
from strategyhub.models import Membership, Organization


def test_small_agency_is_generated_completely_and_deterministically(db):
    call_command(
        "generate_agency", "--slug", "gen-a", "--scale", "small", "--seed", "3", stdout=StringIO()
    )
    call_command(
        "generate_agency", "--slug", "gen-b", "--scale", "small", "--seed", "3", stdout=StringIO()
    )
    counts = []
    for slug in ("gen-a", "gen-b"):
        org = Organization.objects.get(slug=slug)
        with scope(organization=org):
            counts.append(
                (
                    Membership.objects.count(),
                    Measure.objects.count(),
                    MeasureValue.objects.count(),
                    OkrObjective.objects.count(),
                    KeyResult.objects.count(),
                    CheckIn.objects.count(),
                    Publication.objects.count(),
                    Measure.objects.filter(owner__isnull=True).count(),
                )
            )
    assert counts[0] == counts[1]  # same seed, same agency
    members, measures, values, objectives, key_results, checkins, publications, unowned = counts[0]
    assert (members, measures, objectives, key_results, publications) == (12, 18, 6, 24, 1)
    assert values > 100 and checkins > 20 and 0 < unowned < measures


def test_an_existing_slug_is_refused(db):
    call_command("generate_agency", "--slug", "gen-c", "--scale", "small", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_agency", "--slug", "gen-c", "--scale", "small", stdout=StringIO())


def test_every_generated_row_obeys_the_apps_rules_and_needs_no_recompute(db):
    """The generator's output is what the app itself could have stored: unit-level OKR
    objectives name their strategic objective (``OkrObjective.clean``), every measure value
    lies in its plan's value window (``check_value``), and the nightly recompute finds the
    derived state (scores, calculated measures' values, measure states) already right."""
    from okrs.models import LEVELS_NEEDING_STRATEGY
    from scorecards.measures import check_value
    from scorecards.models import StrategicPlan
    from tests.dataio.snapshots import snapshot

    call_command("generate_agency", "--slug", "gen-r", "--scale", "small", stdout=StringIO())
    org = Organization.objects.get(slug="gen-r")
    with scope(organization=org):
        objectives = list(OkrObjective.objects.all())
        assert any(o.level in LEVELS_NEEDING_STRATEGY for o in objectives)
        for objective in objectives:
            objective.clean()  # raises ValidationError on a rule broken
        plan = StrategicPlan.objects.get()
        entered = MeasureValue.objects.filter(measure__value_source="entered")
        assert entered.exists()
        for value in entered.select_related("measure"):
            check_value(
                value.measure, plan=plan, organization=org, period=value.period, value=value.value
            )
        calculated = MeasureValue.objects.filter(measure__value_source="calculated")
        before = snapshot(org)
    call_command("recompute_rollups", "--slug", "gen-r", stdout=StringIO())
    with scope(organization=org):
        assert calculated.exists()  # the feeds' roll-ups are written by the generator
        after = snapshot(org)
    for kind, rows in before.items():
        assert after[kind] == rows, kind
