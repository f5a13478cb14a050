"""One test per semantic rule of the contract; the host is in UTC unless a rule needs a zone."""

from meetapp.scheduling import find_slots

MONDAY = "2026-03-02"  # a Monday; `now` below is its first instant


def _request(**fields: object) -> dict:
    request = {"timezone": "UTC", "now": f"{MONDAY}T00:00:00Z", "duration_minutes": 30}
    request.update(fields)
    return request


def _starts(response: dict) -> list[str]:
    return [slot["start"] for slot in response["slots"]]


def _monday_times(response: dict) -> list[str]:
    return response["days"].get(MONDAY, [])


def test_response_shape_is_utc_z_slots_and_viewer_days():
    response = find_slots(_request(weekly={"mon": [["09:00", "10:00"]]}, horizon_days=0))
    assert response == {
        "slots": [
            {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T09:30:00Z"},
            {"start": "2026-03-02T09:30:00Z", "end": "2026-03-02T10:00:00Z"},
        ],
        "days": {MONDAY: ["09:00", "09:30"]},
    }


def test_step_defaults_to_duration():
    response = find_slots(_request(weekly={"mon": [["09:00", "11:00"]]}, step_minutes=None))
    assert _monday_times(response) == ["09:00", "09:30", "10:00", "10:30"]


def test_candidates_step_from_window_start_and_must_end_by_window_end():
    response = find_slots(_request(weekly={"mon": [["09:00", "11:00"]]}, step_minutes=45))
    # 10:30 + 30 minutes ends exactly at 11:00, which is still inside the window.
    assert _monday_times(response) == ["09:00", "09:45", "10:30"]


def test_window_shorter_than_duration_offers_nothing():
    response = find_slots(_request(weekly={"mon": [["09:00", "09:20"]]}))
    assert response == {"slots": [], "days": {}}


def test_each_window_is_stepped_separately_and_slots_never_span_two_windows():
    weekly = {"mon": [["09:00", "09:45"], ["09:45", "10:30"]]}
    response = find_slots(_request(weekly=weekly, step_minutes=30))
    assert _monday_times(response) == ["09:00", "09:45"]


def test_min_notice_counts_from_now_and_includes_the_exact_instant():
    weekly = {"mon": [["08:00", "11:00"]]}
    response = find_slots(_request(weekly=weekly, now=f"{MONDAY}T08:00:00Z", min_notice_minutes=90))
    assert _monday_times(response)[0] == "09:30"


def test_slot_starting_before_now_is_not_offered_even_by_a_second():
    weekly = {"mon": [["09:00", "10:00"]]}
    assert _monday_times(find_slots(_request(weekly=weekly, now=f"{MONDAY}T09:00:00Z"))) == [
        "09:00",
        "09:30",
    ]
    late = find_slots(_request(weekly=weekly, now=f"{MONDAY}T09:00:00.000001Z"))
    assert _monday_times(late) == ["09:30"]


def test_horizon_zero_means_host_local_today_only():
    weekly = {day: [["09:00", "10:00"]] for day in ("mon", "tue")}
    response = find_slots(_request(weekly=weekly, horizon_days=0))
    assert list(response["days"]) == [MONDAY]
    assert list(find_slots(_request(weekly=weekly, horizon_days=1))["days"]) == [
        MONDAY,
        "2026-03-03",
    ]


def test_horizon_counts_host_local_dates_not_utc_dates():
    # 20:00Z on Monday is already Tuesday 05:00 in Tokyo, so "today" is Tuesday there.
    weekly = {day: [["09:00", "10:00"]] for day in ("mon", "tue", "wed")}
    request = _request(
        timezone="Asia/Tokyo", weekly=weekly, now=f"{MONDAY}T20:00:00Z", horizon_days=0
    )
    assert _starts(find_slots(request)) == ["2026-03-03T00:00:00Z", "2026-03-03T00:30:00Z"]


def test_default_horizon_is_fourteen_days():
    weekly = {
        day: [["09:00", "09:30"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }
    days = find_slots(_request(weekly=weekly))["days"]
    assert min(days) == MONDAY
    assert max(days) == "2026-03-16"
    assert len(days) == 15


def test_buffers_widen_busy_time_and_touching_ends_are_allowed():
    request = _request(
        weekly={"mon": [["08:00", "13:00"]]},
        step_minutes=15,
        busy=[{"start": f"{MONDAY}T10:00:00Z", "end": f"{MONDAY}T11:00:00Z"}],
        buffer_before_minutes=15,
        buffer_after_minutes=30,
    )
    times = _monday_times(find_slots(request))
    # 09:00-09:30 plus 30 minutes after ends exactly at 10:00; 11:15 minus 15 minutes
    # before starts exactly at 11:00: both only touch the busy time.
    before = ["08:00", "08:15", "08:30", "08:45", "09:00"]
    after = ["11:15", "11:30", "11:45", "12:00", "12:15", "12:30"]
    assert times == [*before, *after]


def test_slots_touching_busy_time_without_buffers_are_offered():
    busy = [{"start": f"{MONDAY}T10:00:00Z", "end": f"{MONDAY}T11:00:00Z"}]
    request = _request(weekly={"mon": [["09:30", "11:30"]]}, busy=busy)
    assert _monday_times(find_slots(request)) == ["09:30", "11:00"]


def test_bookings_block_time_like_busy_time():
    bookings = [{"start": f"{MONDAY}T09:30:00Z", "end": f"{MONDAY}T10:00:00Z"}]
    request = _request(weekly={"mon": [["09:00", "10:30"]]}, bookings=bookings)
    assert _monday_times(find_slots(request)) == ["09:00", "10:00"]


def test_busy_with_an_offset_is_read_as_the_instant_it_names():
    busy = [{"start": f"{MONDAY}T11:00:00+02:00", "end": f"{MONDAY}T11:30:00+02:00"}]
    request = _request(weekly={"mon": [["09:00", "10:00"]]}, busy=busy)
    assert _monday_times(find_slots(request)) == ["09:30"]


def test_busy_ending_a_fraction_of_a_second_into_a_slot_blocks_it():
    busy = [{"start": f"{MONDAY}T08:00:00Z", "end": f"{MONDAY}T09:00:00.5Z"}]
    request = _request(weekly={"mon": [["09:00", "10:00"]]}, busy=busy)
    assert _monday_times(find_slots(request)) == ["09:30"]


def test_daily_limit_counts_bookings_starting_on_the_host_local_date():
    # 03:00Z Tuesday is 22:00 Monday in New York: both bookings belong to Monday there.
    bookings = [
        {"start": "2026-03-02T15:00:00Z", "end": "2026-03-02T15:30:00Z"},
        {"start": "2026-03-03T03:00:00Z", "end": "2026-03-03T03:30:00Z"},
    ]
    weekly = {"mon": [["09:00", "10:00"]], "tue": [["09:00", "10:00"]]}
    request = _request(timezone="America/New_York", weekly=weekly, bookings=bookings)
    limited = find_slots({**request, "daily_limit": 2})["days"]
    assert MONDAY not in limited
    assert limited["2026-03-03"] == ["09:00", "09:30"]
    assert find_slots({**request, "daily_limit": 3})["days"][MONDAY] == ["09:00", "09:30"]


def test_daily_limit_ignores_external_busy_time():
    busy = [
        {"start": f"{MONDAY}T{hour}:00:00Z", "end": f"{MONDAY}T{hour}:30:00Z"} for hour in (12, 13)
    ]
    request = _request(weekly={"mon": [["09:00", "10:00"]]}, busy=busy, daily_limit=1)
    assert _monday_times(find_slots(request)) == ["09:00", "09:30"]


def test_override_replaces_the_weekly_hours_of_its_date_only():
    request = _request(
        weekly={"mon": [["09:00", "12:00"]]},
        overrides={MONDAY: [["14:00", "15:00"]]},
        horizon_days=7,
    )
    days = find_slots(request)["days"]
    assert days[MONDAY] == ["14:00", "14:30"]
    assert days["2026-03-09"] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_override_adds_hours_to_a_date_without_weekly_hours():
    request = _request(overrides={"2026-03-08": [["10:00", "11:00"]]})
    assert find_slots(request)["days"] == {"2026-03-08": ["10:00", "10:30"]}


def test_empty_override_makes_the_date_unavailable():
    request = _request(weekly={"mon": [["09:00", "12:00"]]}, overrides={MONDAY: []}, horizon_days=7)
    assert list(find_slots(request)["days"]) == ["2026-03-09"]


def test_twenty_four_hundred_ends_the_window_at_the_next_midnight():
    weekly = {"mon": [["23:00", "24:00"]], "tue": [["00:00", "01:00"]]}
    response = find_slots(_request(weekly=weekly, horizon_days=1))
    assert _starts(response) == [
        "2026-03-02T23:00:00Z",
        "2026-03-02T23:30:00Z",
        "2026-03-03T00:00:00Z",
        "2026-03-03T00:30:00Z",
    ]
    assert response["slots"][1]["end"] == "2026-03-03T00:00:00Z"


def test_a_whole_day_window_runs_from_midnight_to_midnight():
    weekly = {"mon": [["00:00", "24:00"]]}
    response = find_slots(_request(weekly=weekly, duration_minutes=720, horizon_days=0))
    assert _starts(response) == ["2026-03-02T00:00:00Z", "2026-03-02T12:00:00Z"]


def test_missing_optional_fields_mean_no_windows_and_no_busy_time():
    assert find_slots({"timezone": "UTC", "now": "2026-03-02T00:00:00Z"}) == {
        "slots": [],
        "days": {},
    }


def test_viewer_timezone_defaults_to_the_host_zone():
    request = _request(
        timezone="Europe/Berlin", weekly={"mon": [["09:00", "10:00"]]}, horizon_days=0
    )
    assert find_slots(request)["days"] == {MONDAY: ["09:00", "09:30"]}
    viewed = find_slots({**request, "viewer_timezone": "UTC"})
    assert viewed["days"] == {MONDAY: ["08:00", "08:30"]}
