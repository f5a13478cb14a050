"""The validated, immutable form of a ``find_slots`` request."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from meetapp.scheduling.errors import InvalidRequest
from meetapp.scheduling.fields import Span, parse_instant, parse_int, parse_spans, parse_zone
from meetapp.scheduling.rules import WallWindow, parse_overrides, parse_weekly

_EARLIEST_NOW = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST_NOW = datetime(9000, 1, 1, tzinfo=UTC)
_KNOWN_FIELDS = frozenset(
    {
        "timezone",
        "weekly",
        "overrides",
        "busy",
        "bookings",
        "duration_minutes",
        "step_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "min_notice_minutes",
        "horizon_days",
        "daily_limit",
        "now",
        "viewer_timezone",
    }
)


@dataclass(frozen=True)
class SlotRequest:
    """Everything ``find_slots`` needs, validated; durations in minutes, spans in epoch seconds.

    Attributes:
        zone: The host's time zone; windows and dates are read in it.
        weekly: Windows per weekday, index 0 = Monday, each sorted by start.
        overrides: Windows replacing the weekly ones on a host-local date (empty = unavailable).
        busy: External calendar busy spans.
        bookings: Meetings already booked with this host; they block time and count
            toward the daily limit.
        duration_minutes: Length of every slot.
        step_minutes: Distance between candidate starts within a window.
        buffer_before_minutes: Free time required before a slot.
        buffer_after_minutes: Free time required after a slot.
        min_notice_minutes: How far after ``now`` the earliest slot may start.
        horizon_days: Last offered host-local date, counted from today.
        daily_limit: Most bookings per host-local date, or None for no limit.
        now: The current instant (aware, UTC); never read from the clock.
        viewer_zone: Zone in which ``days`` is presented.
    """

    zone: ZoneInfo
    weekly: tuple[tuple[WallWindow, ...], ...]
    overrides: dict[date, tuple[WallWindow, ...]]
    busy: tuple[Span, ...]
    bookings: tuple[Span, ...]
    duration_minutes: int
    step_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_minutes: int
    horizon_days: int
    daily_limit: int | None
    now: datetime
    viewer_zone: ZoneInfo


def parse_request(raw: object) -> SlotRequest:
    """Validates a JSON-shaped request dict; see the field list of ``SlotRequest``.

    Args:
        raw: The decoded JSON request. ``timezone`` and ``now`` are required; the other
            fields default as the contract shows (no windows, no busy time, 30 minutes...).

    Returns:
        The parsed request.

    Raises:
        InvalidRequest: Naming the first offending field.
    """
    if not isinstance(raw, dict):
        raise InvalidRequest("request", "must be a JSON object")
    unknown = sorted(set(raw) - _KNOWN_FIELDS, key=str)
    if unknown:
        raise InvalidRequest(str(unknown[0]), "unknown field")
    for name in ("timezone", "now"):
        if name not in raw:
            raise InvalidRequest(name, "is required")
    zone = parse_zone(raw["timezone"], "timezone")
    duration = parse_int(raw.get("duration_minutes", 30), "duration_minutes", 5, 720)
    step = raw.get("step_minutes")
    viewer = raw.get("viewer_timezone")
    limit = raw.get("daily_limit")
    return SlotRequest(
        zone=zone,
        weekly=parse_weekly(raw.get("weekly", {})),
        overrides=parse_overrides(raw.get("overrides", {})),
        busy=parse_spans(raw.get("busy", []), "busy"),
        bookings=parse_spans(raw.get("bookings", []), "bookings"),
        duration_minutes=duration,
        step_minutes=duration if step is None else parse_int(step, "step_minutes", 5),
        buffer_before_minutes=_non_negative(raw, "buffer_before_minutes"),
        buffer_after_minutes=_non_negative(raw, "buffer_after_minutes"),
        min_notice_minutes=_non_negative(raw, "min_notice_minutes"),
        horizon_days=parse_int(raw.get("horizon_days", 14), "horizon_days", 0, 365),
        daily_limit=None if limit is None else parse_int(limit, "daily_limit", 1),
        now=_parse_now(raw["now"]),
        viewer_zone=zone if viewer is None else parse_zone(viewer, "viewer_timezone"),
    )


def _non_negative(raw: dict, name: str) -> int:
    return parse_int(raw.get(name, 0), name, 0)


def _parse_now(raw: object) -> datetime:
    # Dates are stepped a year past `now`; far-off years would overflow `date` mid-sweep.
    now = parse_instant(raw, "now")
    if not _EARLIEST_NOW <= now < _LATEST_NOW:
        raise InvalidRequest("now", "must be between 1970 and 9000")
    return now
