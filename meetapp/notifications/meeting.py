"""The one meeting description every notification format renders from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MeetingStatus = Literal["scheduled", "rescheduled", "cancelled"]
STATUSES: tuple[MeetingStatus, ...] = ("scheduled", "rescheduled", "cancelled")


def reject_line_breaks(value: str, what: str) -> None:
    """Refuse text that would end up in a single-line header or property.

    A CR or LF in a name or title could forge extra email headers (``Bcc:``) or
    extra iCalendar properties, so such values are rejected rather than cleaned.

    Args:
        value: The text to check.
        what: A name for the value, used in the error message.

    Raises:
        ValueError: If ``value`` contains a carriage return or line feed.
    """
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must not contain line breaks: {value!r}")


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {moment!r}")


@dataclass(frozen=True)
class Person:
    """Someone taking part in a meeting.

    Attributes:
        name: Display name, single line.
        email: Email address (``local@domain``), single line.
    """

    name: str
    email: str

    def __post_init__(self) -> None:
        reject_line_breaks(self.name, "name")
        reject_line_breaks(self.email, "email")
        if "@" not in self.email or any(ch.isspace() for ch in self.email):
            raise ValueError(f"not an email address: {self.email!r}")


@dataclass(frozen=True)
class MeetingInvite:
    """One meeting, as notifications render it.

    Attributes:
        uid: Stable identifier for the meeting's whole life, e.g. ``meeting-42@meetapp``;
            calendars match updates and cancellations by it.
        sequence: Revision number; must increase on every change so calendars accept it.
        status: ``scheduled``, ``rescheduled`` or ``cancelled``.
        title: Single-line title.
        description: Free text (may span lines).
        start: Aware start time (UTC by convention).
        end: Aware end time, after ``start``.
        organizer: The host.
        attendees: Everyone else invited; the organizer is not repeated here.
        join_url: Stable link to join the meeting.
        room_url: Link to the chat room the meeting belongs to.
        reason: Why it was rescheduled or cancelled, if someone said.
        updated_at: Aware time of the last change; used as DTSTAMP (never the clock).
        changed_by: Who made the last change (defaults to the organizer); a
            participant may reschedule or cancel too.
    """

    uid: str
    sequence: int
    status: MeetingStatus
    title: str
    description: str
    start: datetime
    end: datetime
    organizer: Person
    attendees: tuple[Person, ...]
    join_url: str
    room_url: str
    reason: str | None
    updated_at: datetime
    changed_by: Person | None = field(default=None)

    def __post_init__(self) -> None:
        for what in ("uid", "title", "join_url", "room_url"):
            reject_line_breaks(getattr(self, what), what)
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.sequence < 0:
            raise ValueError("sequence must not be negative")
        for what in ("start", "end", "updated_at"):
            _require_aware(getattr(self, what), what)
        if self.end <= self.start:
            raise ValueError("end must be after start")

    @property
    def actor(self) -> Person:
        """Who made the last change: ``changed_by`` or else the organizer."""
        return self.changed_by or self.organizer

    @property
    def details(self) -> str:
        """Plain-text body shared by the .ics DESCRIPTION and the calendar links.

        The join link is repeated here because some calendars hide LOCATION or URL.
        """
        parts = [self.description.strip()] if self.description.strip() else []
        parts.append(f"Join: {self.join_url}\nChat room: {self.room_url}")
        return "\n\n".join(parts)
