"""Property-based tests around the 2026 DST transitions, and a naive reference to agree with.

The reference below is deliberately simple and shares no code with the engine: it finds the
instant of a wall time by scanning UTC minute by minute, walks every minute of every window,
and checks busy time minute by minute.
"""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetapp.scheduling import find_slots

ZONES = [
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Europe/London",
    "America/New_York",
    "Europe/Lisbon",
    "Australia/Sydney",
]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = timedelta(minutes=1)
PROFILE = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


@cache
def _transitions_2026(zone_name: str) -> list[datetime]:
    """Instants (to the quarter hour) at which the zone's offset changes in 2026."""
    zone = ZoneInfo(zone_name)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    found, offset = [], moment.astimezone(zone).utcoffset()
    while moment.year == 2026:
        moment += timedelta(minutes=15)
        if moment.astimezone(zone).utcoffset() != offset:
            offset = moment.astimezone(zone).utcoffset()
            found.append(moment)
    return found or [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)]


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Window edges on a 5-minute grid, often between 00:00 and 05:00 where the 2026 transitions are.
window_edges = st.one_of(st.integers(0, 288), st.integers(0, 60))
windows = st.lists(window_edges, unique=True, max_size=6).map(
    lambda marks: [
        [_hhmm(start * 5), _hhmm(end * 5)]
        for start, end in zip(sorted(marks)[::2], sorted(marks)[1::2], strict=False)
    ]
)


@st.composite
def requests(draw: st.DrawFn) -> dict:
    zone = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(_transitions_2026(zone)))
    # Mostly on the 5-minute grid of the candidates, so `now + notice` often hits one exactly.
    now = anchor + 5 * MINUTE * draw(st.integers(-3 * 288, 288))
    now += timedelta(minutes=draw(st.sampled_from([0, 0, 0, 2])))
    now += timedelta(seconds=draw(st.sampled_from([0, 0, 1, 59])))
    today = now.astimezone(ZoneInfo(zone)).date()
    horizon = draw(st.integers(0, 3))

    def spans(most: int) -> list[dict]:
        # On the same 5-minute grid as the candidates, so busy time often touches a slot exactly.
        grid = now.replace(minute=now.minute - now.minute % 5, second=0)
        starts = st.integers(-288, (horizon + 2) * 288).map(lambda k: grid + 5 * k * MINUTE)
        pairs = st.tuples(starts, st.integers(1, 48).map(lambda k: 5 * k))
        return [
            {"start": _text(start), "end": _text(start + length * MINUTE)}
            for start, length in draw(st.lists(pairs, max_size=most))
        ]

    override_days = st.integers(-1, horizon + 1).map(
        lambda n: (today + timedelta(days=n)).isoformat()
    )
    return {
        "timezone": zone,
        "weekly": draw(st.dictionaries(st.sampled_from(WEEKDAYS), windows)),
        "overrides": draw(st.dictionaries(override_days, windows, max_size=2)),
        "busy": spans(6),
        "bookings": spans(4),
        "duration_minutes": draw(st.sampled_from([5, 15, 30, 45, 60, 90])),
        "step_minutes": draw(st.sampled_from([None, 5, 10, 15, 20, 30, 45, 60])),
        "buffer_before_minutes": draw(st.sampled_from([0, 0, 5, 10, 15, 30, 7])),
        "buffer_after_minutes": draw(st.sampled_from([0, 0, 5, 10, 15, 30, 13])),
        "min_notice_minutes": draw(st.sampled_from([0, 0, 5, 30, 60, 240, 601])),
        "horizon_days": horizon,
        "daily_limit": draw(st.sampled_from([None, 1, 2, 3])),
        "now": _text(now),
        "viewer_timezone": draw(st.sampled_from([None, *ZONES])),
    }


@cache
def _wall_to_instant(zone_name: str, day: date, wall: str) -> datetime:
    """The instant of a wall time, found by scanning every UTC minute that could hold it."""
    zone = ZoneInfo(zone_name)
    if wall == "24:00":
        day, wall = day + timedelta(days=1), "00:00"
    target = datetime.combine(day, datetime.strptime(wall, "%H:%M").time())
    moment = target.replace(tzinfo=UTC) - timedelta(hours=15)
    last_before = None
    while moment <= target.replace(tzinfo=UTC) + timedelta(hours=13):
        local = moment.astimezone(zone).replace(tzinfo=None)
        if local == target:
            return moment  # the first occurrence, as fold=0 reads a repeated hour
        if local < target:
            last_before = moment
        moment += MINUTE
    # In a gap: read with the offset in force just before it, which lands after the gap.
    return (target - last_before.astimezone(zone).utcoffset()).replace(tzinfo=UTC)


def _windows_of(request: dict, day: date) -> list[tuple[datetime, datetime]]:
    weekly = request["weekly"].get(WEEKDAYS[day.weekday()], [])
    rules = request["overrides"].get(day.isoformat(), weekly)
    zone = request["timezone"]
    return [(_wall_to_instant(zone, day, a), _wall_to_instant(zone, day, b)) for a, b in rules]


def _minutes(span: dict) -> set[datetime]:
    start, end = datetime.fromisoformat(span["start"]), datetime.fromisoformat(span["end"])
    return {start + k * MINUTE for k in range(int((end - start) / MINUTE))}


def reference_starts(request: dict) -> list[datetime]:
    zone = ZoneInfo(request["timezone"])
    now = datetime.fromisoformat(request["now"])
    duration = request["duration_minutes"] * MINUTE
    step = (request["step_minutes"] or request["duration_minutes"]) * MINUTE
    today = now.astimezone(zone).date()
    last_day = today + timedelta(days=request["horizon_days"])
    busy_minutes = set().union(*map(_minutes, request["busy"] + request["bookings"]))
    booking_days = [
        datetime.fromisoformat(b["start"]).astimezone(zone).date() for b in request["bookings"]
    ]
    offered = set()
    for offset in range(-3, request["horizon_days"] + 3):  # wider than needed, on purpose
        for window_start, window_end in _windows_of(request, today + timedelta(days=offset)):
            start = window_start
            while start + duration <= window_end:
                local_day = start.astimezone(zone).date()
                guarded = range(-request["buffer_before_minutes"], request["buffer_after_minutes"])
                if (
                    (start - window_start) % step == timedelta(0)
                    and start >= now + request["min_notice_minutes"] * MINUTE
                    and local_day <= last_day
                    and not any(
                        start + k * MINUTE in busy_minutes
                        for k in range(guarded.start, int(duration / MINUTE) + guarded.stop)
                    )
                    and (
                        request["daily_limit"] is None
                        or booking_days.count(local_day) < request["daily_limit"]
                    )
                ):
                    offered.add(start)
                start += MINUTE
    return sorted(offered)


def _slot_starts(response: dict) -> list[datetime]:
    return [datetime.fromisoformat(slot["start"]) for slot in response["slots"]]


@PROFILE
@given(requests())
def test_engine_agrees_with_the_minute_by_minute_reference(request):
    assert _slot_starts(find_slots(request)) == reference_starts(request)


@PROFILE
@given(requests())
def test_offered_slots_respect_every_rule(request):
    response = find_slots(request)
    zone = ZoneInfo(request["timezone"])
    viewer = ZoneInfo(request["viewer_timezone"] or request["timezone"])
    duration = request["duration_minutes"] * MINUTE
    starts = _slot_starts(response)
    assert starts == sorted(set(starts))
    today = datetime.fromisoformat(request["now"]).astimezone(zone).date()
    blocked = [
        (
            datetime.fromisoformat(span["start"]) - request["buffer_after_minutes"] * MINUTE,
            datetime.fromisoformat(span["end"]) + request["buffer_before_minutes"] * MINUTE,
        )
        for span in request["busy"] + request["bookings"]
    ]
    for slot, start in zip(response["slots"], starts, strict=True):
        end = start + duration
        assert datetime.fromisoformat(slot["end"]) == end
        assert slot["start"].endswith("Z")
        assert slot["end"].endswith("Z")
        assert not any(b0 < end and b1 > start for b0, b1 in blocked)
        host_day = start.astimezone(zone).date()
        assert host_day <= today + timedelta(days=request["horizon_days"])
        assert any(ws <= start and end <= we for ws, we in _windows_of(request, host_day))
        if request["daily_limit"] is not None:
            booked = [
                b
                for b in request["bookings"]
                if datetime.fromisoformat(b["start"]).astimezone(zone).date() == host_day
            ]
            assert len(booked) < request["daily_limit"]

    expected_days: dict[str, list[str]] = {}
    for start in starts:
        local = start.astimezone(viewer)
        expected_days.setdefault(local.date().isoformat(), []).append(local.strftime("%H:%M"))
    assert response["days"] == expected_days
