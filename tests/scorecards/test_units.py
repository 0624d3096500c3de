"""The unit vocabulary (``strategyhub.units``, issue 16): display, bounds and conversion of
each unit, the migration's mapping of the old free-text labels, the measure form, and the
public pages of documents published before and after the vocabulary."""

import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from publicdash.models import Publication
from publicdash.publishing import publish
from scorecards import measures
from scorecards.models import Measure
from strategyhub import units
from strategyhub.ui.formatting import format_quantity

pytestmark = pytest.mark.usefixtures("clock")

scorecards_0008 = importlib.import_module("scorecards.migrations.0008_unit_vocabulary")
okrs_0005 = importlib.import_module("okrs.migrations.0005_unit_vocabulary")

# --- Display --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "code", "rate_per", "text"),
    [
        ("45", 0, "percent", None, "45%"),
        ("45.05", 1, "percent", None, "45.1%"),  # rounded half up, once
        ("0", 0, "percent", None, "0%"),
        ("12", 0, "percent_change", None, "+12%"),
        ("-25", 0, "percent_change", None, "−25%"),
        ("0", 0, "percent_change", None, "0%"),
        ("-0.04", 1, "percent_change", None, "0.0%"),  # never "−0.0%" nor "+0.0%"
        ("1200", 0, "currency", None, "$1,200"),
        ("1200.5", 2, "currency", None, "$1,200.50"),
        ("-5", 0, "currency", None, "−$5"),
        ("0", 0, "currency", None, "$0"),
        ("8.25", 1, "minutes", None, "8.3 min"),
        ("3.5", 1, "hours", None, "3.5 h"),
        ("2", 0, "days", None, "2 days"),
        ("0", 1, "minutes", None, "0.0 min"),
        ("3.14", 1, "rate", 100000, "3.1 per 100,000"),
        ("-3.14", 1, "rate", 1000, "−3.1 per 1,000"),
        ("3.14", 1, "rate", None, "3.1"),  # a rate without its base: plain
        ("1234", 0, "count", None, "1,234"),
        ("-1234.5", 1, "number", None, "−1,234.5"),
        ("7", 0, "duration", None, "7"),  # outside the vocabulary: plain
    ],
)
def test_display_of_each_unit(value, decimals, code, rate_per, text):
    assert format_quantity(D(value), decimals, code, rate_per) == text


def test_no_value_is_an_em_dash_in_every_unit():
    for code in units.UNITS:
        assert format_quantity(None, 1, code, 100) == "—"


def test_words_and_short_labels():
    assert units.describe("minutes") == "minutes"
    assert units.describe("rate", 100000) == "rate per 100,000"
    assert units.short_label("rate", 1000) == "per 1,000"
    assert units.short_label("percent") == "%" and units.short_label("count") == "count"
    assert units.describe("furlongs") == "furlongs"  # unknown codes are named as they are


def test_the_choices_are_grouped_and_cover_the_vocabulary():
    codes = [code for _group, options in units.CHOICES for code, _label in options]
    assert sorted(codes) == sorted(units.UNITS) and len(codes) == 9
    labels = dict(option for _group, options in units.CHOICES for option in options)
    assert labels["percent"] == "Percent — share of a whole (0–100%)"
    assert labels["percent_change"] == "Percent — change (+/−)"
    assert max(len(code) for code in codes) <= units.CODE_LENGTH


# --- Bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "refused"),
    [
        ("count", "-1", "A count is never negative"),
        ("count", "0", None),
        ("percent", "101", "from 0% to 100%"),
        ("percent", "-0.5", "from 0% to 100%"),
        ("percent", "100", None),
        ("percent_change", "-25", None),
        ("percent_change", "140", None),
        ("minutes", "-1", "A duration is never negative"),
        ("hours", "-0.1", "A duration is never negative"),
        ("days", "0", None),
        ("currency", "-5000", None),
        ("number", "-5", None),
        ("rate", "-1", None),
    ],
)
def test_bounds_of_each_unit(code, value, refused):
    message = units.out_of_bounds(code, D(value))
    assert (message is None) if refused is None else (refused in message)


def test_a_measure_is_held_to_its_units_bounds(org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        measure_a.unit_kind, measure_a.rate_per = "count", None
        measure_a.baseline_value = D(-1)
        with pytest.raises(ValidationError) as refused:
            measure_a.full_clean()
        assert "never negative" in " ".join(refused.value.message_dict["baseline_value"])
        assert "never negative" in measures.out_of_bounds(measure_a, D(-1))
        measure_a.unit_kind, measure_a.polarity = "percent_change", "range"
        measure_a.baseline_value, measure_a.range_low, measure_a.range_high = D(-25), D(-2), D(140)
        measure_a.full_clean()  # a change in percent is unbounded
        assert measures.out_of_bounds(measure_a, D(-25)) is None


def test_a_rate_needs_its_base_and_only_a_rate_keeps_one(org_a, measure_a):
    with scope(organization=org_a.org):
        measure_a.rate_per = None
        with pytest.raises(ValidationError) as refused:
            measure_a.full_clean()
        assert "rate_per" in refused.value.message_dict
        measure_a.unit_kind, measure_a.rate_per = "number", 1000
        measure_a.full_clean()
        assert measure_a.rate_per is None


# --- Conversion -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "source_base", "target", "target_base", "value", "converted"),
    [
        ("minutes", None, "hours", None, "90", D("1.5")),
        ("hours", None, "minutes", None, "1.25", D("75")),
        ("days", None, "hours", None, "2", D("48")),
        ("rate", 1000, "rate", 100000, "3.1", D("310")),
        ("rate", 100000, "rate", 1000, "310", D("3.1")),
        ("rate", 1000, "rate", 1000, "3.1", D("3.1")),
        ("count", None, "number", None, "7", D("7")),
        ("number", None, "count", None, "7", D("7")),
        ("currency", None, "currency", None, "-5", D("-5")),
        ("percent", None, "percent_change", None, "40", None),
        ("percent_change", None, "percent", None, "40", None),
        ("currency", None, "count", None, "40", None),
        ("minutes", None, "number", None, "40", None),
        ("rate", None, "rate", 1000, "40", None),  # a rate without its base
        ("duration", None, "minutes", None, "40", None),  # outside the vocabulary
    ],
)
def test_convertibility_matrix(source, source_base, target, target_base, value, converted):
    result = units.convert(
        D(value), source=source, target=target, source_base=source_base, target_base=target_base
    )
    assert result == converted
    refusal = units.feed_refusal(source, target, source_base=source_base, target_base=target_base)
    assert (refusal is None) == units.can_feed(source, target)


def test_conversion_keeps_full_precision():
    """Exact Decimal arithmetic, no rounding: a third of an hour stays 20 minutes, and 20
    minutes are 0.333… hours to the context's 28 digits."""
    assert units.convert(D("0.3333333333"), source="hours", target="minutes") == D("19.999999998")
    thirds = units.convert(D(20), source="minutes", target="hours")
    assert thirds == D(1) / D(3) and len(str(thirds)) > 20


def test_the_feed_refusal_names_both_units():
    message = units.feed_refusal("percent", "minutes")
    assert message.startswith("That measure is in minutes and this result in percent")
    assert "minutes, hours, days" in message
    rate = units.feed_refusal("count", "rate", target_base=100000)
    assert "rate per 100,000" in rate and "a rate per any base" in rate


# --- The migration's mapping (pure functions) -----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "rate_per", "code", "noted"),
    [
        ("duration", "min", None, "minutes", None),
        ("duration", " Mins ", None, "minutes", None),
        ("duration", "minute", None, "minutes", None),
        ("duration", "h", None, "hours", None),
        ("duration", "HRS", None, "hours", None),
        ("duration", "hour", None, "hours", None),
        ("duration", "d", None, "days", None),
        ("duration", "days", None, "days", None),
        ("duration", "", None, "minutes", "without a label"),
        ("duration", "seconds", None, "minutes", "“seconds” is not minutes"),
        ("number", "%", None, "percent_change", "change in percent"),
        ("number", "patrols/week", None, "number", "“patrols/week” dropped"),
        ("number", "", None, "number", None),
        ("percent", "", None, "percent", None),
        ("percent", "%", None, "percent", None),
        ("percent", "of officers", None, "percent", "“of officers” dropped"),
        ("currency", "USD", None, "currency", None),
        ("currency", "k$", None, "currency", "“k$” dropped"),
        ("rate", "per 100,000", 100000, "rate", None),
        ("rate", "", 100000, "rate", None),
        ("rate", "per 100k", 100000, "rate", "“per 100k” dropped"),
        ("rate", "", None, "rate", "without its base"),
    ],
)
def test_the_migration_maps_each_old_label(kind, label, rate_per, code, noted):
    new, note = scorecards_0008.map_unit(kind, label, rate_per)
    assert new == code
    assert (note is None) if noted is None else (noted in note)


@pytest.mark.parametrize(
    ("code", "rate_per", "keeps_base", "old"),
    [
        ("minutes", None, True, ("duration", "min")),
        ("hours", None, True, ("duration", "h")),
        ("days", None, True, ("duration", "days")),
        ("percent_change", None, True, ("number", "%")),
        ("count", None, True, ("number", "")),
        ("number", None, True, ("number", "")),
        ("percent", None, True, ("percent", "")),
        ("currency", None, True, ("currency", "USD")),
        ("rate", 100000, True, ("rate", "")),  # a measure keeps rate_per
        ("rate", 1000, False, ("rate", "per 1,000")),  # a key result's base goes
    ],
)
def test_the_migration_maps_back(code, rate_per, keeps_base, old):
    assert scorecards_0008.unmap_unit(code, rate_per, keeps_base) == old
    kind, label = old
    assert scorecards_0008.map_unit(kind, label, rate_per if keeps_base else None)[0] in (
        code,
        "number",  # a count comes back as a number: the old kinds had no count
        "rate",
    )


def test_a_key_results_rate_base_in_the_migration():
    assert okrs_0005.rate_base("", 1000) == (1000, None)  # its measure's
    assert okrs_0005.rate_base("per 1,000", None)[0] == 1000  # its label's
    base, note = okrs_0005.rate_base("", None)
    assert base == 100000 and "assumed" in note
    assert okrs_0005.base_from_label("/100000") == 100000
    assert okrs_0005.base_from_label("per 100k") is None


@pytest.mark.parametrize(
    ("kr", "measure", "noted"),
    [
        (("minutes", None), ("minutes", None), None),
        (("hours", None), ("minutes", None), "(× 60)"),
        (("minutes", None), ("hours", None), "(÷ 60)"),
        (("rate", 1000), ("rate", 100000), "converted"),
        (("rate", 1000), ("rate", 1000), None),
        (("percent_change", None), ("number", None), "does not convert"),
        (("number", None), ("count", None), None),
    ],
)
def test_the_migration_lists_feeds_whose_roll_up_changes(kr, measure, noted):
    note = okrs_0005.feed_note(*kr, *measure)
    assert (note is None) if noted is None else (noted in note)


def test_the_migration_lists_negative_durations_per_agency(org_a, org_b, measure_a, capsys):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(
            unit_kind="minutes", rate_per=None, baseline_value=D(-1)
        )
        found = scorecards_0008.negative_durations(django_apps)
        scorecards_0008.report(django_apps, "measure", found, 0)
        assert Measure.objects.get(pk=measure_a.pk).baseline_value == D(-1)  # not clipped
    out = capsys.readouterr().out
    assert f"Agency Agency Alpha (alpha, id {org_a.org.pk}):" in out
    assert "“Violent crime rate”: a duration below 0 (kept): baseline -1" in out
    assert "Agency Beta" not in out


def test_the_migration_is_silent_without_notes(db, capsys):
    scorecards_0008.report(django_apps, "measure", [], 12)
    assert capsys.readouterr().out == ""


def test_the_migrations_frozen_tables_match_the_registry():
    """The migrations keep their own copy (they must not import app code); today it says
    what the registry says."""
    assert scorecards_0008.NEW_CHOICES == units.CHOICES
    dimensions = {code: u.dimension.value for code, u in units.UNITS.items()}
    factors = {code: u.factor for code, u in units.UNITS.items() if u.dimension == "duration"}
    assert (dimensions, factors) == (okrs_0005.DIMENSION, okrs_0005.MINUTES_IN)


# --- The measure form -----------------------------------------------------------------------


def test_the_measure_form_offers_the_vocabulary_and_rate_bases(client, org_a, plan_a):
    client.force_login(org_a.editor)
    body = client.get(reverse("scorecards:measure_new", args=["alpha", plan_a.pk])).content
    body = body.decode()
    assert '<optgroup label="Percent">' in body
    assert "Percent — share of a whole (0–100%)" in body and "Duration — minutes" in body
    assert 'name="unit_label"' not in body
    assert '<option value="100000">per 100,000</option>' in body
    rate_select = body[body.index('<select name="rate_per"') :].split(">", 1)[0]
    assert 'class="usa-select"' in rate_select


# --- Publications ---------------------------------------------------------------------------


def _measure_of(document, name):
    return next(
        m
        for p in document["plan"]["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
        if m["name"] == name
    )


def test_a_new_document_carries_the_unit_code_and_its_words(org_a, plan_a, measure_a):
    with scopes_disabled():
        document = publish(org_a.org, by=org_a.admin).document
    measure = _measure_of(document, "Violent crime rate")
    assert measure["unit_code"] == "rate" and measure["rate_per"] == 100000
    assert measure["unit"] == "Rate per 100,000" and measure["unit_label"] == "per 100,000"
    assert document["schema"] == "strategyhub.publication/1"


def test_an_old_document_without_a_unit_code_still_renders(client, org_a, plan_a, measure_a):
    """Editions published before the vocabulary have the old kind and free-text label."""
    with scopes_disabled():
        publication = publish(org_a.org, by=org_a.admin)
        document = publication.document
        measure = _measure_of(document, "Violent crime rate")
        for key in ("unit_code", "rate_per"):
            measure.pop(key)
        measure["unit"], measure["unit_label"] = "Rate per N", "per 100k residents"
        Publication.objects.filter(pk=publication.pk).update(document=document)
    cache.clear()
    page = client.get(reverse("public:measure", args=["alpha", measure["id"]]))
    assert page.status_code == 200
    assert "Rate per N (per 100k residents)" in page.content.decode()
    rows = client.get(reverse("public:measure_csv", args=["alpha", measure["id"]]))
    assert "per 100k residents" in rows.content.decode()


def test_a_new_document_renders_its_unit_in_words(client, org_a, plan_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(unit_kind="minutes", rate_per=None)
        measure = _measure_of(publish(org_a.org, by=org_a.admin).document, "Violent crime rate")
    cache.clear()
    body = client.get(reverse("public:measure", args=["alpha", measure["id"]])).content.decode()
    assert "<dd>Minutes; lower is better</dd>" in body
    assert "470.0 min" not in body and "470 min" in body  # decimals 0
    csv_text = client.get(reverse("public:measure_csv", args=["alpha", measure["id"]])).content
    assert ",Minutes," in csv_text.decode()
