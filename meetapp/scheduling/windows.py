"""Host wall-clock windows of a date turned into absolute instants."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from meetapp.scheduling.fields import MINUTES_PER_DAY, Span, epoch_seconds
from meetapp.scheduling.request import SlotRequest
from meetapp.scheduling.rules import WallWindow

_ONE_DAY = timedelta(days=1)


def wall_time_to_epoch(day: date, minute_of_day: int, zone: ZoneInfo) -> int:
    """Returns the instant of a host wall time, read the way zoneinfo reads it with fold=0.

    A wall time inside a DST gap is read with the offset in force before the gap, so it
    lands after the gap; a wall time in a repeated hour means its first occurrence.

    Args:
        day: The host-local date.
        minute_of_day: Minutes after local midnight; 1440 ("24:00") is midnight starting
            the next date.
        zone: The host's zone.

    Returns:
        Seconds since the epoch.
    """
    if minute_of_day == MINUTES_PER_DAY:
        day, minute_of_day = day + _ONE_DAY, 0
    hour, minute = divmod(minute_of_day, 60)
    return epoch_seconds(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))


def windows_on(request: SlotRequest, day: date) -> tuple[WallWindow, ...]:
    """Returns the wall windows of a host-local date: its override if any, else its weekday's."""
    override = request.overrides.get(day)
    return request.weekly[day.weekday()] if override is None else override


def absolute_windows(request: SlotRequest, day: date) -> list[Span]:
    """Returns the windows of a host-local date as epoch-second spans.

    Near a DST gap a window may come out empty or even inverted (e.g. 01:30-02:15 on a
    day that skips 01:00-02:00 starts after it ends); such a window simply offers nothing.
    """
    zone = request.zone
    return [
        (wall_time_to_epoch(day, start, zone), wall_time_to_epoch(day, end, zone))
        for start, end in windows_on(request, day)
    ]


def dates_between(first: date, last: date) -> Iterator[date]:
    """Yields every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY
