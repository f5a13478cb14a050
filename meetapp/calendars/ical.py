"""iCalendar in and out for CalDAV: busy rules with recurrence expansion, and drafts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from meetapp.calendars.base import INSTANCE_SEPARATOR, EventDraft, RemoteEvent, all_day_bounds


def expand_events(
    resource_id: str,
    ical_text: str | bytes,
    window_start: datetime,
    window_end: datetime,
    user_zone: ZoneInfo,
    user_addresses: Iterable[str],
) -> list[RemoteEvent]:
    """Expand one calendar object resource into its occurrences within a window.

    Moved instances (RECURRENCE-ID overrides) and EXDATEs are applied by
    recurring-ical-events; cancelled overrides come out with ``blocks_time=False``.

    Args:
        resource_id: The resource's URL, the id of a single event and the base of
            instance ids (``<url>_<original start>``) of a series.
        ical_text: The resource's iCalendar data.
        window_start: Start of the window (aware).
        window_end: End of the window (aware).
        user_zone: The user's zone, for all-day and floating times.
        user_addresses: The user's own e-mail addresses, to find their attendee entry.

    Returns:
        The occurrences of every VEVENT overlapping the window.
    """
    calendar = icalendar.Calendar.from_ical(ical_text)
    recurring = any(
        "RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c for c in calendar.walk("VEVENT")
    )
    addresses = {a.lower() for a in user_addresses}
    events = []
    for occurrence in recurring_ical_events.of(calendar).between(window_start, window_end):
        start_value = occurrence.decoded("DTSTART")
        all_day = not isinstance(start_value, datetime)
        if all_day:
            start, end = all_day_bounds(start_value, occurrence.end, user_zone)
        else:
            start = _utc(start_value, user_zone)
            end = _utc(occurrence.end, user_zone)
        event_id = resource_id
        if recurring:
            original = occurrence.get("RECURRENCE-ID")
            original_start = original.dt if original is not None else start_value
            event_id += INSTANCE_SEPARATOR + _instance_key(original_start, user_zone)
        events.append(
            RemoteEvent(event_id, start, end, _blocks_time(occurrence, addresses), all_day)
        )
    return events


def draft_to_ical(draft: EventDraft, sequence: int, now: datetime) -> bytes:
    """Build the VCALENDAR for a draft, with ``UID`` = our meeting uid.

    Args:
        draft: The meeting.
        sequence: The SEQUENCE to write (0 when created, previous + 1 on update).
        now: DTSTAMP.

    Returns:
        The iCalendar bytes.
    """
    event = icalendar.Event()
    event.add("UID", draft.uid)
    event.add("DTSTAMP", now.astimezone(UTC))
    event.add("SEQUENCE", sequence)
    event.add("SUMMARY", draft.title)
    event.add("DESCRIPTION", draft.description)
    event.add("DTSTART", draft.start.astimezone(UTC))
    event.add("DTEND", draft.end.astimezone(UTC))
    if draft.join_url:
        event.add("LOCATION", draft.join_url)
        event.add("URL", draft.join_url)
    for email in draft.attendee_emails:
        event.add("ATTENDEE", f"mailto:{email}", parameters={"RSVP": "TRUE"})
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//meetapp//calendar sync//EN")
    calendar.add("VERSION", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()


def current_sequence(ical_text: str | bytes) -> int:
    """Return the highest SEQUENCE among the resource's VEVENTs (0 when absent)."""
    calendar = icalendar.Calendar.from_ical(ical_text)
    return max((int(c.get("SEQUENCE", 0)) for c in calendar.walk("VEVENT")), default=0)


def _blocks_time(event: icalendar.Event, user_addresses: set[str]) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    attendees = event.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        address = str(attendee).lower().removeprefix("mailto:")
        if address in user_addresses and attendee.params.get("PARTSTAT", "").upper() == "DECLINED":
            return False
    return True


def _utc(value: datetime | date, user_zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    # Floating times mean "wall clock wherever the user is".
    return (value if value.tzinfo else value.replace(tzinfo=user_zone)).astimezone(UTC)


def _instance_key(original_start: datetime | date, user_zone: ZoneInfo) -> str:
    if not isinstance(original_start, datetime):
        return original_start.strftime("%Y%m%d")
    return _utc(original_start, user_zone).strftime("%Y%m%dT%H%M%SZ")
