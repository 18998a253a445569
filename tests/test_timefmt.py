"""Each time format, at its edges: rounding or flooring as the format needs, and the largest unit's overflow."""

from __future__ import annotations

import pytest

from narrate import timefmt


def test_cue_sheet_time_counts_75_frames_a_second():
    assert timefmt.cue_sheet_time(0) == "00:00:00"
    assert timefmt.cue_sheet_time(6841) == "00:06:63"  # 6.841 s = 513.075 frames
    assert timefmt.cue_sheet_time(3_725_000) == "62:05:00"  # cue sheets count minutes past 59


@pytest.mark.parametrize(
    ("ms", "expected"),
    [(0, "00:00:00.000"), (6841.4, "00:00:06.841"), (6841.6, "00:00:06.842"), (3_725_000.2, "01:02:05.000"),
     (36_000_000, "10:00:00.000")],
)
def test_webvtt_time_rounds_to_the_millisecond(ms, expected):
    assert timefmt.webvtt_time(ms) == expected


@pytest.mark.parametrize(
    ("ms", "expected"),
    [(0, "0:00:00.000"), (6841, "0:00:06.841"), (3_725_250, "1:02:05.250"), (36_000_000, "10:00:00.000"),
     (59_999.7, "0:01:00.000"), (3_599_999.6, "1:00:00.000")],  # rounded up into the next minute, hour: never ":60"
)
def test_chapter_time_rounds_to_the_millisecond(ms, expected):
    assert timefmt.chapter_time(ms) == expected


@pytest.mark.parametrize(("ms", "expected"), [(0, "0:00:00"), (59_999, "0:00:59"), (3_725_999, "1:02:05")])
def test_hours_minutes_seconds_floors(ms, expected):
    assert timefmt.hours_minutes_seconds(ms) == expected


@pytest.mark.parametrize(("ms", "expected"), [(0, "0:00"), (59_999, "0:59"), (3_599_999, "59:59"), (3_725_000, "62:05")])
def test_minutes_seconds_counts_minutes_past_59(ms, expected):
    assert timefmt.minutes_seconds(ms) == expected


@pytest.mark.parametrize(("ms", "expected"), [(3_599_999, "59:59"), (3_600_000, "1:00:00"), (3_725_000, "1:02:05")])
def test_player_time_shows_hours_only_from_an_hour(ms, expected):
    assert timefmt.player_time(ms) == expected


@pytest.mark.parametrize(
    ("ms", "expected"), [(0, "0:00.0"), (6_840, "0:06.8"), (125_460, "2:05.5"), (59_960, "1:00.0"), (119_951, "2:00.0")]
)
def test_minutes_tenths_rounds_into_the_next_minute(ms, expected):
    assert timefmt.minutes_tenths(ms) == expected
