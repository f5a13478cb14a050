"""A booked meeting: its card, its .ics, and rescheduling or cancelling it.

Both changes bump the iCalendar SEQUENCE (calendars ignore updates that do not), keep
the UID, post a notice in the room and enqueue the calendar and email jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, delete

from meetapp.config import get_settings
from meetapp.db import open_session
from meetapp.display import clock_time
from meetapp.models import Invite, Meeting, MeetingStatus, ReminderSent, User
from meetapp.notifications.ics import build_ics
from meetapp.notifications.links import google_calendar_url, outlook_calendar_url
from meetapp.notifications.timefmt import zone_abbreviation
from meetapp.services.auth import known_timezones
from meetapp.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from meetapp.services.meeting_events import (
    announce,
    flush_or_conflict,
    meeting_invite,
    participants,
    with_reason,
)
from meetapp.services.offers import (
    SlotDay,
    check_offered,
    engine_slots,
    lock_host,
    require_aware,
    slot_days,
)
from meetapp.services.rooms import require_member

MAX_REASON = 1000


@dataclass(frozen=True)
class MeetingView:
    """A meeting card as one viewer sees it (times in the viewer's zone and clock)."""

    id: int
    room_id: int
    status: str
    weekday_date: str
    time_range: str
    duration_minutes: int
    participants: tuple[str, ...]
    host_id: int
    host_name: str
    join_url: str
    google_url: str
    outlook_url: str
    ics_url: str
    reason: str
    can_change: bool
    invite_id: int | None = None
    start: str = ""


def member_meeting(db: Session, meeting_id: int, user_id: int) -> Meeting:
    """The meeting, if `user_id` belongs to its room.

    Raises:
        NotFound: No such meeting, or the user may not know of it.
    """
    meeting = db.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("Meeting not found")
    require_member(db, meeting.room_id, user_id)
    return meeting


def _check_zone(timezone: str) -> ZoneInfo:
    if timezone not in known_timezones():
        raise InvalidInput("timezone", "Unknown time zone")
    return ZoneInfo(timezone)


def meeting_view(
    db: Session, meeting_id: int, viewer_id: int, viewer_timezone: str, clock: str, now: datetime
) -> MeetingView:
    """The meeting card for one viewer.

    Raises:
        NotFound: Unknown meeting or the viewer is not in its room.
        InvalidInput: Unknown zone.
    """
    meeting = member_meeting(db, meeting_id, viewer_id)
    zone = _check_zone(viewer_timezone)
    details = meeting_invite(db, meeting)
    people = participants(db, meeting.id)
    local = meeting.start.astimezone(zone)
    year = "" if local.year == now.astimezone(zone).year else f" {local.year}"
    times = (clock_time(t, viewer_timezone, clock) for t in (meeting.start, meeting.end))
    abbreviation = zone_abbreviation(meeting.end.astimezone(zone))
    return MeetingView(
        id=meeting.id,
        room_id=meeting.room_id,
        status=meeting.status,
        weekday_date=f"{local:%A}, {local.day} {local:%B}{year}",
        time_range=" \u2013 ".join(times) + f" {abbreviation}",
        duration_minutes=int((meeting.end - meeting.start).total_seconds() // 60),
        participants=tuple(p.name for p in people),
        host_id=meeting.host_id,
        host_name=details.organizer.name,
        join_url=details.join_url,
        google_url=google_calendar_url(details),
        outlook_url=outlook_calendar_url(details),
        ics_url=f"{get_settings().api_url}/api/meetings/{meeting.id}.ics",
        reason=meeting.reason,
        can_change=_may_change(meeting, viewer_id, people, now),
        invite_id=meeting.invite_id,
        start=meeting.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _may_change(meeting: Meeting, user_id: int, people: list[User], now: datetime) -> bool:
    return (
        meeting.status != MeetingStatus.CANCELLED
        and meeting.start > now
        and any(p.id == user_id for p in people)
    )


def meeting_ics(db: Session, meeting_id: int, viewer_id: int) -> bytes:
    """The meeting as an .ics download (stable UID, SEQUENCE = number of changes).

    Raises:
        NotFound: Unknown meeting or the viewer is not in its room.
    """
    meeting = member_meeting(db, meeting_id, viewer_id)
    return build_ics(meeting_invite(db, meeting), "PUBLISH")


def _changeable(db: Session, meeting_id: int, actor: User, reason: str, now: datetime) -> Meeting:
    meeting = member_meeting(db, meeting_id, actor.id)
    if not any(p.id == actor.id for p in participants(db, meeting.id)):
        raise Forbidden("Only the people in this meeting can change it")
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("This meeting was cancelled")
    if meeting.start <= now:
        raise Conflict("This meeting has already started")
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", "Keep the reason under 1,000 characters")
    return meeting


def _rules(db: Session, meeting: Meeting) -> dict:
    invite = db.get(Invite, meeting.invite_id) if meeting.invite_id else None
    if invite is None:
        raise Conflict("This meeting's invitation is gone; book a new one")
    return invite.rules


def reschedule_slots(
    db: Session, meeting_id: int, viewer_id: int, viewer_timezone: str, now: datetime
) -> list[SlotDay]:
    """The picker's days for rescheduling a meeting (its own time counts as free).

    Convenience over `offered_slots(db, meeting.invite_id, ..., reschedule_meeting_id=...)`.
    """
    meeting = member_meeting(db, meeting_id, viewer_id)
    rules = _rules(db, meeting)
    answer = engine_slots(db, rules, meeting.host_id, now, viewer_timezone, meeting.id)
    return slot_days(answer["slots"], viewer_timezone)


def reschedule(
    meeting_id: int,
    actor: User,
    new_start: datetime,
    reason: str,
    now: datetime,
    engine: Engine | None = None,
) -> Meeting:
    """Move a meeting to another offered time (the picker's rules, its old slot free).

    Raises:
        NotFound: Unknown meeting or the actor is not in its room.
        Forbidden: The actor does not take part in it.
        Conflict: Cancelled, already started, or the new time was just taken.
        InvalidInput: The new time is not offered, or the reason is too long.
    """
    new_start = require_aware(new_start, "start")
    reason = reason.strip()
    with open_session(engine) as db:
        meeting = _changeable(db, meeting_id, actor, reason, now)
        if new_start == meeting.start:
            raise InvalidInput("start", "Pick a different time")
        lock_host(db, meeting.host_id)
        check_offered(db, _rules(db, meeting), meeting.host_id, new_start, now, meeting.id)
        duration = meeting.end - meeting.start
        meeting.start, meeting.end = new_start, new_start + duration
        meeting.status = MeetingStatus.RESCHEDULED
        meeting.sequence += 1
        meeting.reason = reason
        meeting.updated_at = now
        db.add(meeting)
        flush_or_conflict(db)
        # Reminders are per start time: the new time gets its own.
        db.exec(delete(ReminderSent).where(ReminderSent.meeting_id == meeting.id))
        actor = db.get(User, actor.id)
        announce(
            db,
            meeting,
            actor,
            with_reason(f"{actor.name} rescheduled the meeting to {{when}}", reason),
        )
        return meeting


def cancel(
    meeting_id: int, actor: User, reason: str, now: datetime, engine: Engine | None = None
) -> Meeting:
    """Cancel a meeting; its time is free again and calendars get a cancellation.

    Raises:
        NotFound: Unknown meeting or the actor is not in its room.
        Forbidden: The actor does not take part in it.
        Conflict: Already cancelled or already started.
        InvalidInput: The reason is too long.
    """
    reason = reason.strip()
    with open_session(engine) as db:
        meeting = _changeable(db, meeting_id, actor, reason, now)
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        meeting.reason = reason
        meeting.updated_at = now
        db.add(meeting)
        db.flush()
        actor = db.get(User, actor.id)
        announce(
            db,
            meeting,
            actor,
            with_reason(f"{actor.name} cancelled the meeting on {{when}}", reason),
        )
        return meeting
