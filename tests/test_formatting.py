"""Display formatting: the one place numbers are rounded for display."""

from decimal import Decimal as D

import pytest

from strategyhub.ui.formatting import (
    format_number,
    format_percent_share,
    format_plain,
    format_quantity,
    format_score,
)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("424.45", 1, "424.5"),  # half up, once, at display
        ("9.25", 1, "9.3"),
        ("-0.04", 1, "0.0"),  # never "−0.0"
        ("-3.25", 1, "−3.3"),
        ("250000", 0, "250,000"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(D(value), decimals) == text


def test_format_signed():
    assert format_number(D("3.2"), 1, signed=True) == "+3.2"


@pytest.mark.parametrize(
    ("share", "decimals", "text"),
    [
        (D("0.5"), 0, "50%"),
        (D("1.5"), 0, "150%"),
        (D("-0.25"), 0, "−25%"),
        (D("0.2365"), 1, "23.7%"),
        (None, 0, "—"),
    ],
)
def test_format_percent_share(share, decimals, text):
    assert format_percent_share(share, decimals) == text


def test_format_score():
    assert format_score(D("0.7")) == "0.70"
    assert format_score(D("0.666666")) == "0.67"
    assert format_score(None) is None


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((D("42.04"), 1, "percent"), "42.0%"),
        ((D("8.25"), 1, "minutes"), "8.3 min"),
        ((D("364.2"), 1, "rate", 100000), "364.2 per 100,000"),
        ((D("1200"), 0, "number"), "1,200"),
        ((D("1200"), 0, "duration"), "1,200"),  # a code outside the vocabulary: plain
        ((None, 1, "percent"), "—"),
    ],
)
def test_format_quantity(args, text):
    """A few cases; every unit's are in tests/scorecards/test_units.py."""
    assert format_quantity(*args) == text


def test_format_plain():
    assert format_plain(D("8.980000")) == "8.98"
    assert format_plain(D("470.000000")) == "470"
    assert format_plain(None) == ""
