from dataclasses import replace

import pytest

from meetapp.services.availability import (
    AvailabilityRules,
    Range,
    default_rules,
    row_errors,
)


def _rules(**changes) -> AvailabilityRules:
    return replace(default_rules("Europe/Lisbon"), **changes)


def test_default_rules_are_office_hours_on_weekdays():
    rules = default_rules("Europe/Lisbon")
    assert rules.timezone == "Europe/Lisbon"
    assert set(rules.weekly) == {"mon", "tue", "wed", "thu", "fri"}
    assert rules.weekly["mon"] == (Range("09:00", "17:00"),)
    assert (rules.duration_minutes, rules.min_notice_minutes, rules.horizon_days) == (30, 240, 30)
    assert rules.daily_limit is None
    assert row_errors(rules) == {}


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ((Range("09:00", "12:00"), Range("11:00", "13:00")), "Ranges overlap"),
        ((Range("12:00", "09:00"),), "End must be after start"),
        ((Range("09:00", "09:00"),), "End must be after start"),
        ((Range("09:10", "12:00"),), "Use 15-minute steps"),
        ((Range("9am", "12:00"),), "Use HH:MM times"),
        ((Range("24:00", "24:00"),), "Use HH:MM times"),
    ],
)
def test_row_errors_name_the_bad_weekday(ranges, message):
    rules = _rules(weekly={"mon": (Range("09:00", "17:00"),), "tue": ranges})
    assert row_errors(rules) == {"tue": message}


def test_touching_ranges_and_midnight_end_are_fine():
    weekly = {"sat": (Range("09:00", "12:00"), Range("12:00", "24:00"))}
    assert row_errors(_rules(weekly=weekly)) == {}


def test_row_errors_for_overrides_and_settings():
    rules = _rules(
        timezone="Mars/Olympus",
        overrides={"2026-03-10": (Range("10:00", "09:00"),), "10/03/2026": (), "2026-03-11": ()},
        duration_minutes=20,
        buffer_before_minutes=-5,
        min_notice_minutes=10**9,
        horizon_days=0,
        daily_limit=0,
        note="x" * 1001,
    )
    assert row_errors(rules) == {
        "timezone": "Choose a time zone from the list",
        "2026-03-10": "End must be after start",
        "10/03/2026": "Use a YYYY-MM-DD date",
        "duration_minutes": "Choose 15, 30, 45 or 60 minutes",
        "buffer_before_minutes": "Use 0 to 240 minutes",
        "min_notice_minutes": "Use at most 30 days of notice",
        "horizon_days": "Use 1 to 365 days",
        "daily_limit": "Use 1 to 50 meetings, or no limit",
        "note": "Keep the message under 1,000 characters",
    }


def test_nothing_available_at_all_is_an_error():
    assert row_errors(_rules(weekly={}, overrides={"2026-03-10": ()})) == {
        "weekly": "Choose at least one time when you are available"
    }
    assert row_errors(_rules(weekly={}, overrides={"2026-03-10": (Range("10:00", "11:00"),)})) == {}


def test_json_round_trip_keeps_everything():
    rules = _rules(
        weekly={"mon": (Range("09:00", "12:00"), Range("13:00", "17:30")), "sun": ()},
        overrides={"2026-03-10": (), "2026-03-12": (Range("08:00", "10:00"),)},
        duration_minutes=45,
        buffer_before_minutes=10,
        buffer_after_minutes=15,
        min_notice_minutes=60,
        horizon_days=14,
        daily_limit=3,
        note="Quarterly review",
        step_minutes=15,
    )
    data = rules.to_json()
    assert data["weekly"]["mon"] == [["09:00", "12:00"], ["13:00", "17:30"]]
    assert data["weekly"]["tue"] == []
    back = AvailabilityRules.from_json(data)
    # An empty weekday and a missing one mean the same: unavailable.
    assert back == replace(rules, weekly={"mon": rules.weekly["mon"]})


def test_from_json_fills_missing_settings_with_defaults():
    rules = AvailabilityRules.from_json(
        {"timezone": "Asia/Tokyo", "weekly": {"fri": [["10:00", "11:00"]]}}
    )
    assert rules.timezone == "Asia/Tokyo"
    assert rules.weekly == {"fri": (Range("10:00", "11:00"),)}
    assert (rules.duration_minutes, rules.horizon_days, rules.daily_limit, rules.note) == (
        30,
        30,
        None,
        "",
    )
