from datetime import UTC, datetime, timedelta

import pytest

from meetapp.notifications.timefmt import format_range, format_when, to_zone, zone_abbreviation

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def test_format_range_short_in_lisbon_winter():
    end = START + timedelta(minutes=30)
    assert format_range(START, end, "Europe/Lisbon") == "Tue 3 Mar 2026, 15:00 \u2013 15:30 WET"


def test_format_range_long_style():
    end = START + timedelta(minutes=30)
    assert (
        format_range(START, end, "Europe/Lisbon", style="long")
        == "Tuesday, 3 March 2026, 15:00 \u2013 15:30 WET"
    )


def test_format_when_without_year_for_system_messages():
    assert format_when(START, "Europe/Lisbon", year=False) == "Tue 3 Mar, 15:00 WET"


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        # Los Angeles switched to PDT on 2026-03-08, Lisbon to WEST on 2026-03-29.
        (
            datetime(2026, 3, 7, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            "Sat 7 Mar 2026, 09:00 PST",
        ),
        (
            datetime(2026, 3, 9, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            "Mon 9 Mar 2026, 10:00 PDT",
        ),
        (datetime(2026, 3, 28, 17, 0, tzinfo=UTC), "Europe/Lisbon", "Sat 28 Mar 2026, 17:00 WET"),
        (datetime(2026, 3, 30, 17, 0, tzinfo=UTC), "Europe/Lisbon", "Mon 30 Mar 2026, 18:00 WEST"),
    ],
)
def test_format_when_follows_dst(moment, zone, expected):
    assert format_when(moment, zone) == expected


def test_range_across_midnight_names_both_dates():
    start = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
    assert (
        format_range(start, start + timedelta(minutes=45), "Europe/Lisbon")
        == "Tue 3 Mar 2026, 23:30 \u2013 Wed 4 Mar 2026, 00:15 WET"
    )


def test_range_across_dst_switch_names_both_zones():
    # Lisbon jumps from 01:00 WET to 02:00 WEST at 01:00 UTC on 2026-03-29.
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert (
        format_range(start, start + timedelta(hours=1), "Europe/Lisbon")
        == "Sun 29 Mar 2026, 00:30 WET \u2013 02:30 WEST"
    )


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Kolkata", "IST"), ("Asia/Kathmandu", "UTC+05:45"), ("America/St_Johns", "NST")],
)
def test_zone_abbreviation_spells_out_numeric_names(zone, expected):
    assert zone_abbreviation(to_zone(START, zone)) == expected


def test_negative_numeric_zone_gets_utc_prefix():
    assert zone_abbreviation(to_zone(START, "America/Sao_Paulo")) == "UTC-03:00"


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        format_when(datetime(2026, 3, 3, 15, 0), "Europe/Lisbon")
