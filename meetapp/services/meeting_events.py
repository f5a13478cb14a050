"""What follows every change of a meeting: the room notice, the card and outbox jobs.

Everything here runs inside the transaction of the change, so the notice, the card and
the calendar/email jobs exist exactly when the change does.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from meetapp import routes
from meetapp.config import get_settings
from meetapp.models import (
    Invite,
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    Message,
    MessageKind,
    User,
)
from meetapp.notifications.meeting import MeetingInvite, Person
from meetapp.realtime.changes import mark_changed, room_topic
from meetapp.services import outbox
from meetapp.services.errors import Conflict
from meetapp.services.offers import SLOT_TAKEN, utc_text
from meetapp.services.rooms import post_card, post_system_message


def new_meeting(
    db: Session, invite: Invite, booker: User, people: list[User], start: datetime, now: datetime
) -> Meeting:
    """Store a meeting for `invite` with `people` (host first) and flush it.

    Raises:
        Conflict: The database refused it (PostgreSQL's no-overlap constraint, or the
            invite was booked by a concurrent transaction).
    """
    meeting = Meeting(
        invite_id=invite.id,
        room_id=invite.room_id,
        host_id=invite.host_id,
        booker_id=booker.id,
        start=start,
        end=start + timedelta(minutes=invite.duration_minutes),
        uid=f"meeting-{secrets.token_hex(12)}@meetapp",
        join_token=secrets.token_urlsafe(24),
        created_at=now,
        updated_at=now,
    )
    db.add(meeting)
    flush_or_conflict(db)
    for person in people:
        db.add(MeetingParticipant(meeting_id=meeting.id, user_id=person.id))
    db.flush()
    return meeting


def flush_or_conflict(db: Session) -> None:
    """Flush, turning a constraint violation on meetings into the user-facing Conflict."""
    try:
        db.flush()
    except sa.exc.IntegrityError:
        raise Conflict(SLOT_TAKEN) from None


def participants(db: Session, meeting_id: int) -> list[User]:
    """The people of a meeting, host first, then in the order they were added."""
    host_id = db.get(Meeting, meeting_id).host_id
    people = db.exec(
        select(User)
        .join(MeetingParticipant, col(MeetingParticipant.user_id) == User.id)
        .where(MeetingParticipant.meeting_id == meeting_id)
        .order_by(col(MeetingParticipant.id))
    ).all()
    return sorted(people, key=lambda user: user.id != host_id)


def join_url(meeting: Meeting) -> str:
    """The meeting's join link.

    The Meet / Teams link the host's calendar created, once there is one; else the
    built-in, stable room link.
    """
    built_in = f"{get_settings().public_base_url}/meet/{meeting.join_token}"
    return meeting.conference_url or built_in


def meeting_title(people: list[User]) -> str:
    """A title from the names: "Ana and Ben", "Ana, Ben and Cleo"."""
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def meeting_invite(db: Session, meeting: Meeting, actor: User | None = None) -> MeetingInvite:
    """The meeting as the notification builders (ics, links, email) need it."""
    people = participants(db, meeting.id)
    invite = db.get(Invite, meeting.invite_id) if meeting.invite_id else None
    host = next(p for p in people if p.id == meeting.host_id)
    return MeetingInvite(
        uid=meeting.uid,
        sequence=meeting.sequence,
        status=meeting.status,
        title=meeting_title(people),
        description=invite.note if invite else "",
        start=meeting.start,
        end=meeting.end,
        organizer=Person(host.name, host.email),
        attendees=tuple(Person(p.name, p.email) for p in people if p.id != host.id),
        join_url=join_url(meeting),
        room_url=f"{get_settings().public_base_url}{routes.room(meeting.room_id)}",
        reason=meeting.reason or None,
        updated_at=meeting.updated_at,
        changed_by=Person(actor.name, actor.email) if actor else None,
    )


def calendar_payload(db: Session, meeting: Meeting) -> dict:
    """The self-contained payload of a calendar.upsert / calendar.delete job."""
    details = meeting_invite(db, meeting)
    return {
        "host_id": meeting.host_id,
        "meeting_id": meeting.id,
        "meeting_uid": meeting.uid,
        "title": details.title,
        "description": details.details,
        "start": utc_text(meeting.start),
        "end": utc_text(meeting.end),
        "attendee_emails": [a.email for a in details.attendees],
        "join_url": details.join_url,
        "sequence": meeting.sequence,
    }


def show_meeting_card(db: Session, meeting: Meeting) -> None:
    """Turn the invite's card into this meeting's card (or post one if there is none).

    The card changes in place so that everyone sees the invite become the meeting.
    """
    card = None
    if meeting.invite_id is not None:
        card = db.exec(
            select(Message).where(
                Message.room_id == meeting.room_id,
                Message.kind == MessageKind.INVITE,
                Message.ref_id == meeting.invite_id,
            )
        ).first()
    if card is None:
        post_card(db, meeting.room_id, meeting.booker_id, MessageKind.MEETING, meeting.id)
        return
    card.kind, card.ref_id = MessageKind.MEETING, meeting.id
    db.add(card)
    db.flush()


def announce(db: Session, meeting: Meeting, actor: User, body: str) -> None:
    """Post the room notice and enqueue the calendar and email jobs for a change.

    Args:
        db: The session of the change.
        meeting: The meeting, already changed and flushed.
        actor: Who made the change.
        body: The notice; `{when}` stands for the meeting's start, shown in each
            reader's zone.
    """
    post_system_message(db, meeting.room_id, body, event_at=meeting.start)
    mark_changed(db, [room_topic(meeting.room_id)])
    cancelled = meeting.status == MeetingStatus.CANCELLED
    kind = outbox.CALENDAR_DELETE if cancelled else outbox.CALENDAR_UPSERT
    outbox.enqueue(db, kind, calendar_payload(db, meeting), ordering_key=f"meeting:{meeting.uid}")
    for person in participants(db, meeting.id):
        outbox.enqueue(
            db,
            outbox.EMAIL_MEETING,
            {
                "meeting_id": meeting.id,
                "recipient_user_id": person.id,
                "method": "CANCEL" if cancelled else "REQUEST",
                "actor_user_id": actor.id,
            },
            # Per recipient, so one bad address never holds up the others' emails.
            ordering_key=f"email:{meeting.uid}:{person.id}",
        )


def with_reason(text: str, reason: str) -> str:
    """Append "Reason: ..." to a notice when someone gave one."""
    reason = reason.strip()
    return f"{text}. Reason: {reason}" if reason else text
