"""DST transitions in both hemispheres, odd offsets, and viewers on a different date.

Expected instants were worked out by hand from the 2026 transitions:
Lisbon 03-29 01:00Z (+0 -> +1) and 10-25 01:00Z (+1 -> +0); New York 03-08 07:00Z and
11-01 06:00Z; Sydney 04-04 16:00Z (+11 -> +10) and 10-03 16:00Z (+10 -> +11);
Lord Howe 04-04 15:00Z (+11 -> +10:30) and 10-03 15:30Z (+10:30 -> +11).
"""

import pytest

from meetapp.scheduling import find_slots


def _on(day: str, windows: list[list[str]], zone: str, now: str, **fields: object) -> dict:
    """Asks for 30-minute slots offered only on `day` (an override), viewed in the host zone."""
    request = {
        "timezone": zone,
        "overrides": {day: windows},
        "duration_minutes": 30,
        "horizon_days": 30,
        "now": now,
    }
    request.update(fields)
    return find_slots(request)


def _starts(response: dict) -> list[str]:
    return [slot["start"] for slot in response["slots"]]


def test_lisbon_spring_forward_window_across_the_gap_loses_the_missing_hour():
    response = _on("2026-03-29", [["00:30", "03:30"]], "Europe/Lisbon", "2026-03-25T12:00:00Z")
    assert _starts(response) == [
        "2026-03-29T00:30:00Z",
        "2026-03-29T01:00:00Z",
        "2026-03-29T01:30:00Z",
        "2026-03-29T02:00:00Z",
    ]
    assert response["days"] == {"2026-03-29": ["00:30", "02:00", "02:30", "03:00"]}


def test_lisbon_spring_forward_through_the_weekly_sunday_hours():
    request = {
        "timezone": "Europe/Lisbon",
        "weekly": {"sun": [["00:30", "03:30"]]},
        "now": "2026-03-28T12:00:00Z",
        "horizon_days": 1,
    }
    assert find_slots(request)["days"] == {"2026-03-29": ["00:30", "02:00", "02:30", "03:00"]}


def test_lisbon_fall_back_window_over_the_repeated_hour_covers_both_occurrences():
    response = _on("2026-10-25", [["01:00", "02:00"]], "Europe/Lisbon", "2026-10-20T12:00:00Z")
    assert _starts(response) == [
        "2026-10-25T00:00:00Z",
        "2026-10-25T00:30:00Z",
        "2026-10-25T01:00:00Z",
        "2026-10-25T01:30:00Z",
    ]
    # Two distinct instants share each wall time; both are kept, in order of the instants.
    assert response["days"] == {"2026-10-25": ["01:00", "01:30", "01:00", "01:30"]}


def test_lisbon_fall_back_window_inside_the_repeated_hour_means_its_first_occurrence():
    response = _on("2026-10-25", [["01:15", "01:45"]], "Europe/Lisbon", "2026-10-20T12:00:00Z")
    assert _starts(response) == ["2026-10-25T00:15:00Z"]


def test_new_york_spring_forward_window_across_the_gap():
    response = _on("2026-03-08", [["01:00", "04:00"]], "America/New_York", "2026-03-01T12:00:00Z")
    assert _starts(response) == [
        "2026-03-08T06:00:00Z",
        "2026-03-08T06:30:00Z",
        "2026-03-08T07:00:00Z",
        "2026-03-08T07:30:00Z",
    ]
    assert response["days"] == {"2026-03-08": ["01:00", "01:30", "03:00", "03:30"]}


def test_new_york_window_starting_in_the_gap_lands_after_it_and_may_be_empty():
    # 02:30 does not exist; read with the pre-gap offset it is 07:30Z, the same instant as
    # 03:30 EDT, so the window is empty.
    assert _on("2026-03-08", [["02:30", "03:30"]], "America/New_York", "2026-03-01T12:00:00Z") == {
        "slots": [],
        "days": {},
    }
    shifted = _on("2026-03-08", [["02:30", "04:00"]], "America/New_York", "2026-03-01T12:00:00Z")
    assert _starts(shifted) == ["2026-03-08T07:30:00Z"]
    assert shifted["days"] == {"2026-03-08": ["03:30"]}


def test_new_york_fall_back_day_has_twenty_five_hours():
    response = _on("2026-11-01", [["00:00", "03:00"]], "America/New_York", "2026-10-25T12:00:00Z")
    assert _starts(response)[0] == "2026-11-01T04:00:00Z"
    assert _starts(response)[-1] == "2026-11-01T07:30:00Z"
    assert response["days"] == {
        "2026-11-01": ["00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00", "02:30"]
    }


def test_sydney_fall_back_repeated_hour_starts_on_the_previous_utc_date():
    response = _on("2026-04-05", [["02:00", "03:00"]], "Australia/Sydney", "2026-04-01T00:00:00Z")
    assert _starts(response) == [
        "2026-04-04T15:00:00Z",
        "2026-04-04T15:30:00Z",
        "2026-04-04T16:00:00Z",
        "2026-04-04T16:30:00Z",
    ]
    assert response["days"] == {"2026-04-05": ["02:00", "02:30", "02:00", "02:30"]}


def test_sydney_spring_forward_window_across_the_gap():
    response = _on("2026-10-04", [["01:00", "04:00"]], "Australia/Sydney", "2026-10-01T00:00:00Z")
    assert _starts(response) == [
        "2026-10-03T15:00:00Z",
        "2026-10-03T15:30:00Z",
        "2026-10-03T16:00:00Z",
        "2026-10-03T16:30:00Z",
    ]
    assert response["days"] == {"2026-10-04": ["01:00", "01:30", "03:00", "03:30"]}


def test_lord_howe_half_hour_spring_forward():
    response = _on(
        "2026-10-04", [["01:30", "03:00"]], "Australia/Lord_Howe", "2026-10-01T00:00:00Z"
    )
    assert _starts(response) == ["2026-10-03T15:00:00Z", "2026-10-03T15:30:00Z"]
    assert response["days"] == {"2026-10-04": ["01:30", "02:30"]}


def test_lord_howe_wall_time_in_the_half_hour_gap_lands_after_it():
    response = _on(
        "2026-10-04", [["02:15", "03:30"]], "Australia/Lord_Howe", "2026-10-01T00:00:00Z"
    )
    assert _starts(response) == ["2026-10-03T15:45:00Z"]
    assert response["days"] == {"2026-10-04": ["02:45"]}


def test_lord_howe_half_hour_fall_back_repeats_one_half_hour():
    response = _on(
        "2026-04-05", [["01:00", "03:00"]], "Australia/Lord_Howe", "2026-04-01T00:00:00Z"
    )
    assert _starts(response) == [
        "2026-04-04T14:00:00Z",
        "2026-04-04T14:30:00Z",
        "2026-04-04T15:00:00Z",
        "2026-04-04T15:30:00Z",
        "2026-04-04T16:00:00Z",
    ]
    assert response["days"] == {"2026-04-05": ["01:00", "01:30", "01:30", "02:00", "02:30"]}


def test_windows_overlapping_only_in_absolute_time_yield_each_slot_once():
    # On the Lisbon gap day 00:00-01:30 becomes 00:00Z-01:30Z and 02:00-03:00 becomes
    # 01:00Z-02:00Z: 01:00Z is a candidate of both windows.
    windows = [["00:00", "01:30"], ["02:00", "03:00"]]
    response = _on("2026-03-29", windows, "Europe/Lisbon", "2026-03-25T12:00:00Z")
    assert _starts(response) == [
        "2026-03-29T00:00:00Z",
        "2026-03-29T00:30:00Z",
        "2026-03-29T01:00:00Z",
        "2026-03-29T01:30:00Z",
    ]


def test_empty_override_on_a_dst_day_beats_the_weekly_hours():
    request = {
        "timezone": "Europe/Lisbon",
        "weekly": {"sun": [["00:00", "24:00"]]},
        "overrides": {"2026-10-25": []},
        "now": "2026-10-20T00:00:00Z",
        "horizon_days": 13,
    }
    assert list(find_slots(request)["days"]) == ["2026-11-01"]


def test_viewer_on_the_previous_date_sees_the_host_morning_as_their_evening():
    request = {
        "timezone": "Asia/Kolkata",
        "weekly": {"mon": [["09:00", "10:00"]]},
        "now": "2026-03-25T12:00:00Z",
        "horizon_days": 6,
        "viewer_timezone": "America/Los_Angeles",
    }
    response = find_slots(request)
    assert _starts(response) == ["2026-03-30T03:30:00Z", "2026-03-30T04:00:00Z"]
    assert response["days"] == {"2026-03-29": ["20:30", "21:00"]}


@pytest.mark.parametrize(
    ("zone", "first_start"),
    [
        ("Asia/Kolkata", "2026-03-02T03:30:00Z"),
        ("Asia/Kathmandu", "2026-03-02T03:15:00Z"),
        ("America/St_Johns", "2026-03-02T12:30:00Z"),
        ("Pacific/Chatham", "2026-03-01T19:15:00Z"),
        ("Pacific/Kiritimati", "2026-03-01T19:00:00Z"),
    ],
)
def test_fractional_and_extreme_offsets_keep_the_host_wall_time(zone, first_start):
    response = _on("2026-03-02", [["09:00", "10:00"]], zone, "2026-02-25T00:00:00Z")
    assert _starts(response)[0] == first_start
    assert response["days"] == {"2026-03-02": ["09:00", "09:30"]}


def test_kiritimati_host_and_honolulu_viewer_share_wall_times_a_date_apart():
    response = _on(
        "2026-03-02",
        [["09:00", "10:00"]],
        "Pacific/Kiritimati",
        "2026-02-25T00:00:00Z",
        viewer_timezone="Pacific/Honolulu",
    )
    assert response["days"] == {"2026-03-01": ["09:00", "09:30"]}


def test_kiritimati_today_is_already_tomorrow_in_utc():
    # 12:00Z on 03-01 is 02:00 on 03-02 in Kiritimati: 03-01 is yesterday there.
    request = {
        "timezone": "Pacific/Kiritimati",
        "overrides": {"2026-03-01": [["09:00", "10:00"]], "2026-03-02": [["09:00", "10:00"]]},
        "now": "2026-03-01T12:00:00Z",
        "horizon_days": 0,
    }
    assert find_slots(request)["days"] == {"2026-03-02": ["09:00", "09:30"]}
