"""Turn stored values into what a person reads: local times, initials.

Pure functions of their arguments (the reader's zone, clock style and `now`
are passed in) so the same instant reads correctly for every viewer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def initials(name: str) -> str:
    """Up to two initials for an avatar ("Ana Sousa" -> "AS")."""
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


def clock_time(moment: datetime, zone: str, clock: str = "24") -> str:
    """Wall-clock time of `moment` in `zone`: "15:05", or "3:05 PM" for a 12-hour clock."""
    local = moment.astimezone(ZoneInfo(zone))
    if clock == "12":
        return local.strftime("%I:%M %p").lstrip("0")
    return local.strftime("%H:%M")


def _short_date(local: datetime, now_local: datetime) -> str:
    if now_local.date() - local.date() < timedelta(days=6):
        return local.strftime("%a")
    if local.year == now_local.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b} {local.year}"


def message_time(moment: datetime, zone: str, clock: str, now: datetime) -> str:
    """Timestamp beside a message: time today, weekday + time this week, else date + time."""
    tz = ZoneInfo(zone)
    local, now_local = moment.astimezone(tz), now.astimezone(tz)
    time = clock_time(moment, zone, clock)
    if local.date() == now_local.date():
        return time
    return f"{_short_date(local, now_local)} {time}"


def list_time(moment: datetime, zone: str, clock: str, now: datetime) -> str:
    """Timestamp in the room list: time today, else a short date."""
    tz = ZoneInfo(zone)
    local, now_local = moment.astimezone(tz), now.astimezone(tz)
    if local.date() == now_local.date():
        return clock_time(moment, zone, clock)
    return _short_date(local, now_local)


WHEN_PLACEHOLDER = "{when}"


def render_system_body(body: str, event_at: datetime | None, zone: str, clock: str = "24") -> str:
    """A system message as one reader reads it: `{when}` becomes `event_at` in their zone.

    System messages are stored once for every reader, so a meeting time in them is kept
    as an instant (`Message.event_at`) and only turned into wall-clock text here.

    Args:
        body: The stored text, e.g. "Ben scheduled a meeting for {when}".
        event_at: The instant `{when}` stands for; None leaves the body unchanged.
        zone: The reader's IANA zone.
        clock: "24" or "12".

    Returns:
        The text to show, e.g. "Ben scheduled a meeting for Tue 3 Mar, 15:00 (your time)".
    """
    if event_at is None or WHEN_PLACEHOLDER not in body:
        return body
    local = event_at.astimezone(ZoneInfo(zone))
    when = f"{local:%a} {local.day} {local:%b}, {clock_time(event_at, zone, clock)} (your time)"
    # Only the first placeholder: a reason typed by a person may contain "{when}" too.
    return body.replace(WHEN_PLACEHOLDER, when, 1)
