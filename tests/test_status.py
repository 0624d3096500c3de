"""The one Status: both layers use it, and every status has a label and an icon."""

from okrs import calc as okr_calc
from scorecards import calc as scorecard_calc
from strategyhub.status import ICONS, LABELS, Status
from strategyhub.ui.badges import status_badge


def test_both_layers_use_the_one_status():
    assert scorecard_calc.Status is Status
    assert okr_calc.Status is Status
    assert set(okr_calc.STATUSES) == set(Status) - {Status.STALE}  # only measures go stale


def test_values_are_the_published_strings():
    assert [s.value for s in Status] == ["on_track", "at_risk", "off_track", "no_data", "stale"]


def test_every_status_has_a_label_and_an_icon():
    assert set(LABELS) == set(ICONS) == set(Status)
    for status in Status:
        assert status.label and status.icon
        badge = status_badge(status.value)
        assert f"sh-status--{status.value}" in badge
        assert f"#{status.icon}" in badge and status.label in badge
    assert Status.ON_TRACK.label == "On track"


def test_one_status_tag_for_every_page():
    """``{% status_badge %}`` (strategyhub_tags) is the one tag: the staff, OKR and public
    templates all load it, and no app keeps its own copy of the tag or of the icon map."""
    from pathlib import Path

    from django.template import Context, Template

    rendered = Template("{% load strategyhub_tags %}{% status_badge s %}").render(
        Context({"s": "at_risk"})
    )
    assert rendered == status_badge(Status.AT_RISK)
    root = Path(__file__).resolve().parent.parent
    for app in ("okrs", "scorecards", "publicdash"):
        for template in (root / app / "templates").rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            assert "okr_status" not in text and "_status.html" not in text, template
            if "{% status_badge" in text:
                assert "strategyhub_tags" in text, template
    assert not (root / "publicdash/templates/publicdash/_status.html").exists()


def test_the_public_badge_shows_the_label_its_document_stored():
    from django.template import Context, Template

    template = Template("{% load strategyhub_tags %}{% status_badge s label %}")
    stored = template.render(Context({"s": "on_track", "label": "On track (published)"}))
    assert "#check_circle" in stored and "On track (published)" in stored
    assert "sh-status--on_track" in stored
    unknown = template.render(Context({"s": "retired", "label": "Retired"}))
    assert "#help_outline" in unknown and "sh-status--retired" in unknown and "Retired" in unknown
