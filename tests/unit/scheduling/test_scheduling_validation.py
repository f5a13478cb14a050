"""Every way a request can break the contract is refused with the field named."""

import pytest

from meetapp.scheduling import InvalidRequest, find_slots

VALID = {
    "timezone": "Europe/Lisbon",
    "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]]},
    "overrides": {"2026-03-30": [["10:00", "14:00"]], "2026-04-03": []},
    "busy": [{"start": "2026-03-30T10:00:00Z", "end": "2026-03-30T11:00:00Z"}],
    "bookings": [{"start": "2026-03-31T10:00:00Z", "end": "2026-03-31T10:30:00Z"}],
    "duration_minutes": 30,
    "step_minutes": None,
    "buffer_before_minutes": 0,
    "buffer_after_minutes": 0,
    "min_notice_minutes": 0,
    "horizon_days": 14,
    "daily_limit": None,
    "now": "2026-03-25T12:00:00Z",
    "viewer_timezone": "America/Los_Angeles",
}
BUSY = "2026-03-30T10:00:00Z"


def _span(start: str, end: str) -> list[dict]:
    return [{"start": start, "end": end}]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": "America"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"timezone": "localtime"}, "timezone"),
        ({"timezone": 1}, "timezone"),
        ({"viewer_timezone": "Nowhere/Special"}, "viewer_timezone"),
        ({"weekly": {"mon": [["9:00", "12:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [["09:00", "12:60"]]}}, "weekly.mon[0][1]"),
        ({"weekly": {"mon": [["24:00", "24:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [["09:00", "24:30"]]}}, "weekly.mon[0][1]"),
        ({"weekly": {"mon": [["09:00", "25:00"]]}}, "weekly.mon[0][1]"),
        ({"weekly": {"mon": [["09:00:00", "10:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [[900, "10:00"]]}}, "weekly.mon[0][0]"),
        ({"weekly": {"mon": [["12:00", "09:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": [["09:00", "09:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"tue": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "weekly.tue[1]"),
        ({"weekly": {"wed": [["11:00", "13:00"], ["09:00", "12:00"]]}}, "weekly.wed[0]"),
        ({"weekly": {"mon": [["09:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": None}}, "weekly.mon"),
        ({"weekly": {"monday": []}}, "weekly.monday"),
        ({"weekly": []}, "weekly"),
        ({"overrides": {"2026-3-30": []}}, "overrides.2026-3-30"),
        ({"overrides": {"20260330": []}}, "overrides.20260330"),
        ({"overrides": {"2026-02-30": []}}, "overrides.2026-02-30"),
        ({"overrides": {"2026-03-30": [["10:00", "10:00"]]}}, "overrides.2026-03-30[0]"),
        (
            {"overrides": {"2026-03-30": [["08:00", "11:00"], ["10:00", "12:00"]]}},
            "overrides.2026-03-30[1]",
        ),
        ({"overrides": []}, "overrides"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"duration_minutes": "30"}, "duration_minutes"),
        ({"duration_minutes": 30.0}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"duration_minutes": None}, "duration_minutes"),
        ({"step_minutes": 4}, "step_minutes"),
        ({"step_minutes": 0}, "step_minutes"),
        ({"buffer_before_minutes": -1}, "buffer_before_minutes"),
        ({"buffer_after_minutes": -1}, "buffer_after_minutes"),
        ({"min_notice_minutes": -1}, "min_notice_minutes"),
        ({"horizon_days": -1}, "horizon_days"),
        ({"horizon_days": 366}, "horizon_days"),
        ({"daily_limit": 0}, "daily_limit"),
        ({"now": "2026-03-25T12:00:00"}, "now"),
        ({"now": "2026-03-25"}, "now"),
        ({"now": "yesterday"}, "now"),
        ({"now": 1774440000}, "now"),
        ({"now": "9999-12-31T12:00:00Z"}, "now"),
        ({"now": "0001-01-01T00:00:00Z"}, "now"),
        ({"busy": _span(BUSY, BUSY)}, "busy[0].end"),
        ({"busy": _span(BUSY, "2026-03-30T09:00:00Z")}, "busy[0].end"),
        ({"busy": _span("2026-03-30T10:00:00", "2026-03-30T11:00:00Z")}, "busy[0].start"),
        ({"busy": _span(BUSY, "soon")}, "busy[0].end"),
        ({"busy": [{"start": BUSY}]}, "busy[0]"),
        ({"busy": [{"start": BUSY, "end": BUSY, "title": "x"}]}, "busy[0]"),
        ({"busy": [[BUSY, BUSY]]}, "busy[0]"),
        ({"busy": {"start": BUSY}}, "busy"),
        ({"bookings": _span(BUSY, BUSY)}, "bookings[0].end"),
        ({"timezon": "Europe/Lisbon"}, "timezon"),
    ],
)
def test_invalid_field_is_refused_and_named(changes, field):
    with pytest.raises(InvalidRequest) as raised:
        find_slots({**VALID, **changes})
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


@pytest.mark.parametrize("field", ["timezone", "now"])
def test_required_field_is_named_when_missing(field):
    request = {key: value for key, value in VALID.items() if key != field}
    with pytest.raises(InvalidRequest, match=f"^{field}: is required$"):
        find_slots(request)


def test_request_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidRequest, match=r"^request: "):
        find_slots([VALID])  # type: ignore[arg-type]


def test_error_message_names_the_field_and_the_bounds():
    with pytest.raises(ValueError, match=r"^duration_minutes: must be between 5 and 720$"):
        find_slots({**VALID, "duration_minutes": 3})


def test_one_busy_item_among_many_is_named_by_its_index():
    busy = [{"start": BUSY, "end": "2026-03-30T11:00:00Z"}] * 3 + _span(BUSY, BUSY)
    with pytest.raises(InvalidRequest, match=r"^busy\[3\]\.end: must be after start$"):
        find_slots({**VALID, "busy": busy})


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_minutes": 5},
        {"duration_minutes": 720},
        {"step_minutes": 5},
        {"horizon_days": 0},
        {"horizon_days": 365},
        {"daily_limit": 1},
        {"weekly": {"sun": [["00:00", "24:00"]]}},
        {"weekly": {"mon": [["09:00", "12:00"], ["12:00", "13:00"]]}},
        {"busy": _span("2026-03-30T10:00:00+05:30", "2026-03-30T10:00:00.000001+05:30")},
        {"viewer_timezone": None},
        {"timezone": "UTC"},
    ],
)
def test_boundary_values_are_accepted(changes):
    assert set(find_slots({**VALID, **changes})) == {"slots", "days"}
