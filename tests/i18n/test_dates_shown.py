"""``dates.show`` works each text out once per value, kind, style, language and zone: the
same moment asked again in another zone, style or language is shown in that one."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from strategyhub.ui import dates

MOMENT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)


def test_each_zone_style_and_language_gets_its_own_text():
    shown = {}
    for zone in ("UTC", "America/New_York"):
        for style in (dates.DateStyle.LONG, dates.DateStyle.ISO):
            for language in ("en", "es"):
                with (
                    timezone.override(ZoneInfo(zone)),
                    dates.override(style),
                    translation.override(language),
                ):
                    first = dates.moment(MOMENT)
                    assert dates.moment(MOMENT) == first  # the second time: the same text
                    shown[(zone, style, language)] = first
    assert shown[("UTC", dates.DateStyle.ISO, "en")] == "2026-11-02 15:30 UTC"
    assert shown[("America/New_York", dates.DateStyle.ISO, "en")] == "2026-11-02 10:30 EST"
    # Long style: month names in the language.
    assert shown[("UTC", dates.DateStyle.LONG, "en")] != shown[("UTC", dates.DateStyle.LONG, "es")]
    assert len(set(shown.values())) >= 6


def test_a_date_and_a_naive_moment_are_not_confused():
    with dates.override(dates.DateStyle.ISO):
        assert dates.brief_date(dt.date(2026, 11, 2)) == "2026-11-02"
        assert dates.moment(dt.datetime(2026, 11, 2, 9, 5)).startswith("2026-11-02 09:05")
        assert dates.brief_date(dt.datetime(2026, 11, 2, 23, 59)) == "2026-11-02"
