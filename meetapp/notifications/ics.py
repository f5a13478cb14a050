"""iCalendar (.ics) rendering of a meeting, for downloads and iMIP email invites."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Literal

from icalendar import Alarm, Calendar, Event, vCalAddress

from meetapp.notifications.meeting import MeetingInvite, Person

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]
METHODS: tuple[Method, ...] = ("PUBLISH", "REQUEST", "CANCEL")
PRODID = "-//meetapp//meetapp//EN"
ALARM_BEFORE = timedelta(minutes=10)


def _address(person: Person, **params: str | bool) -> vCalAddress:
    return vCalAddress.new(person.email, cn=person.name, **params)


def build_ics(invite: MeetingInvite, method: Method = "PUBLISH") -> bytes:
    """Render the meeting as an iCalendar object with a single VEVENT.

    The output depends only on ``invite`` and ``method`` (DTSTAMP is
    ``invite.updated_at``, no random UIDs), so the same input gives the same bytes.

    Args:
        invite: The meeting.
        method: ``PUBLISH`` for a download, ``REQUEST`` for an email invite or
            update, ``CANCEL`` for an email cancellation (RFC 5546).

    Returns:
        The ``.ics`` content, UTF-8 with CRLF line endings.

    Raises:
        ValueError: If ``method`` is unknown.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    cancelled = method == "CANCEL" or invite.status == "cancelled"
    event = Event.new(
        uid=invite.uid,
        sequence=invite.sequence,
        stamp=invite.updated_at.astimezone(UTC),
        start=invite.start.astimezone(UTC),
        end=invite.end.astimezone(UTC),
        summary=invite.title,
        description=invite.details,
        location=invite.join_url,
        url=invite.join_url,
        organizer=_address(invite.organizer),
        attendees=[
            _address(person, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True)
            for person in invite.attendees
        ],
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    # A reminder for a meeting that is not happening would only confuse people.
    if not cancelled:
        event.add_component(Alarm.new_display(f"Reminder: {invite.title}", -ALARM_BEFORE))
    # Built by hand rather than with Calendar.new(), which adds a random calendar UID.
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()
