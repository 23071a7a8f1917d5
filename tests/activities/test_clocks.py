"""Two clocks: the organizer's announcement and the reader's local time, DST included."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from coalition.activities.clocks import span_in_zone, to_utc, two_clocks, zone_label

# The Open Education Week webinar: Thursday 9 March 2023, 16:00–17:00 CET.
START = datetime(2023, 3, 9, 15, 0, tzinfo=UTC)
END = datetime(2023, 3, 9, 16, 0, tzinfo=UTC)


def test_organizer_clock_reads_as_announced():
    assert span_in_zone(START, END, "Europe/Paris") == "Thursday, 9 March 2023, 16:00–17:00 CET"


def test_reader_in_tokyo_sees_the_next_day():
    clocks = two_clocks(START, END, "Europe/Paris", "Asia/Tokyo")
    assert clocks.reader == "Friday, 10 March 2023, 00:00–01:00 JST"


def test_reader_in_new_york_before_european_dst_change():
    # 9 March 2023: New York is still on EST (UTC−5); the US changes on 12 March.
    assert two_clocks(START, END, "Europe/Paris", "America/New_York").reader == (
        "Thursday, 9 March 2023, 10:00–11:00 EST"
    )


def test_reader_in_new_york_between_the_two_dst_changes():
    # 16 March 2023, 15:00–16:30 CET (WSIS session): New York is on EDT, Paris still on CET,
    # so the gap is 5 hours instead of 6.
    start, end = datetime(2023, 3, 16, 14, 0, tzinfo=UTC), datetime(2023, 3, 16, 15, 30, tzinfo=UTC)
    assert two_clocks(start, end, "Europe/Paris", "America/New_York").reader == (
        "Thursday, 16 March 2023, 10:00–11:30 EDT"
    )


def test_event_across_the_dst_change_shows_both_abbreviations():
    start, end = datetime(2023, 3, 26, 0, 30, tzinfo=UTC), datetime(2023, 3, 26, 1, 30, tzinfo=UTC)
    assert span_in_zone(start, end, "Europe/Paris").endswith("01:30–03:30 CET/CEST")


def test_no_reader_clock_when_the_zone_has_the_same_offset():
    assert two_clocks(START, END, "Europe/Paris", "Europe/Berlin").reader == ""


def test_clock_in_french_and_arabic():
    with translation.override("fr"):
        assert "9 mars 2023" in span_in_zone(START, END, "Europe/Paris")
    with translation.override("ar"):
        assert "16:00" in span_in_zone(START, END, "Europe/Paris")


def test_zone_without_letters_is_shown_as_offset():
    assert zone_label(START.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Dubai"))) == "UTC+4"


@pytest.mark.parametrize(
    ("wall", "zone", "expected"),
    [
        (datetime(2023, 3, 9, 16, 0), "Europe/Paris", datetime(2023, 3, 9, 15, 0, tzinfo=UTC)),
        (datetime(2023, 7, 9, 16, 0), "Europe/Paris", datetime(2023, 7, 9, 14, 0, tzinfo=UTC)),
        # 02:30 does not exist in Paris on 26 March 2023: it is read as 03:30 CEST.
        (datetime(2023, 3, 26, 2, 30), "Europe/Paris", datetime(2023, 3, 26, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice on 29 October 2023: the first (CEST) is taken.
        (datetime(2023, 10, 29, 2, 30), "Europe/Paris", datetime(2023, 10, 29, 0, 30, tzinfo=UTC)),
    ],
)
def test_wall_clock_to_utc(wall, zone, expected):
    assert to_utc(wall, zone) == expected


def test_times_and_ranges_run_left_to_right_in_arabic():
    with translation.override("ar"):
        text = span_in_zone(START, END, "Europe/Paris")
    assert "\u206616:00–17:00 CET\u2069" in text
    with translation.override("en"):
        assert "\u2066" not in span_in_zone(START, END, "Europe/Paris")
