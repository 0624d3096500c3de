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
