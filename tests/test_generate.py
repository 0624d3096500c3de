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
