"""The sweep: candidate starts of every window, filtered by every rule of the contract."""

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from meetapp.scheduling.blocking import blocked_spans
from meetapp.scheduling.fields import epoch_seconds
from meetapp.scheduling.request import SlotRequest, parse_request
from meetapp.scheduling.response import render_response
from meetapp.scheduling.windows import absolute_windows, dates_between


def find_slots(request: dict) -> dict:
    """Answers a scheduling request with the bookable slots.

    Args:
        request: The JSON-shaped request of the contract (see ``parse_request``).

    Returns:
        ``{"slots": [{"start": "...Z", "end": "...Z"}, ...], "days": {"YYYY-MM-DD": ["HH:MM"]}}``,
        slots sorted by start and unique, ``days`` in the viewer's zone.

    Raises:
        InvalidRequest: If the request breaks the contract; names the field.
    """
    parsed = parse_request(request)
    return render_response(offered_starts(parsed), parsed.duration_minutes, parsed.viewer_zone)


def offered_starts(request: SlotRequest) -> list[int]:
    """Returns the sorted, unique epoch-second starts of every slot the host offers.

    Candidates are generated for host-local dates today - 1 .. today + horizon (a date's
    windows can begin on the previous UTC date; later dates only hold starts past the
    horizon), then swept once in order against the merged blocked spans with one pointer.
    """
    zone = request.zone
    duration = request.duration_minutes * 60
    step = request.step_minutes * 60
    today = request.now.astimezone(zone).date()
    last_day = today + timedelta(days=request.horizon_days)
    candidates: set[int] = set()
    for day in dates_between(today - timedelta(days=1), last_day):
        for window_start, window_end in absolute_windows(request, day):
            candidates.update(range(window_start, window_end - duration + 1, step))

    earliest = epoch_seconds(request.now, round_up=True) + request.min_notice_minutes * 60
    blocked = blocked_spans(
        request.busy + request.bookings,
        request.buffer_before_minutes * 60,
        request.buffer_after_minutes * 60,
    )
    full_days = _fully_booked_dates(request)
    offered = []
    next_block = 0
    for start in sorted(candidates):
        if start < earliest:
            continue
        # Starts only grow, so a span ending at or before this start blocks no later one.
        while next_block < len(blocked) and blocked[next_block][1] <= start:
            next_block += 1
        if next_block < len(blocked) and blocked[next_block][0] < start + duration:
            continue
        local_day = _local_date(start, zone)
        if local_day <= last_day and local_day not in full_days:
            offered.append(start)
    return offered


def _fully_booked_dates(request: SlotRequest) -> frozenset[date]:
    """Returns host-local dates on which at least ``daily_limit`` bookings start."""
    if request.daily_limit is None:
        return frozenset()
    per_day = Counter(_local_date(start, request.zone) for start, _ in request.bookings)
    return frozenset(day for day, count in per_day.items() if count >= request.daily_limit)


def _local_date(epoch: int, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(epoch, zone).date()
