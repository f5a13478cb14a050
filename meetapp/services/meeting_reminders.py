"""Meeting reminders: a notice in the room and an email, once per meeting and offset.

Which reminders are due is decided by `meetapp.notifications.reminders.due_reminders`;
`ReminderSent` remembers what went out (rescheduling forgets a meeting's rows).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from meetapp.db import open_session
from meetapp.models import Meeting, MeetingStatus, ReminderSent
from meetapp.notifications.reminders import DEFAULT_OFFSETS, due_reminders
from meetapp.services import outbox
from meetapp.services.meeting_events import participants
from meetapp.services.rooms import post_system_message


def _send(engine: Engine | None, now: datetime) -> int:
    horizon = now + max(DEFAULT_OFFSETS)
    with open_session(engine) as db:
        meetings = {
            m.id: m
            for m in db.exec(
                select(Meeting).where(
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.start) > now,
                    col(Meeting.start) <= horizon,
                )
            )
        }
        rows = db.exec(select(ReminderSent).where(col(ReminderSent.meeting_id).in_(list(meetings))))
        sent = {(r.meeting_id, timedelta(minutes=r.offset_minutes)) for r in rows}
        candidates = [(m.id, m.start, m.updated_at) for m in meetings.values()]
        due = due_reminders(candidates, sent, now)
        for meeting_id, offset in due:
            meeting = meetings[meeting_id]
            minutes = int(offset.total_seconds() // 60)
            db.add(ReminderSent(meeting_id=meeting_id, offset_minutes=minutes, sent_at=now))
            post_system_message(db, meeting.room_id, "Reminder: meeting {when}", meeting.start)
            for person in participants(db, meeting_id):
                outbox.enqueue(
                    db,
                    outbox.EMAIL_MEETING,
                    {
                        "meeting_id": meeting_id,
                        "recipient_user_id": person.id,
                        "method": "REQUEST",
                        "reminder_minutes": minutes,
                    },
                    ordering_key=f"email:{meeting.uid}:{person.id}",
                )
        return len(due)


async def send_due_reminders(now: datetime, engine: Engine | None = None) -> int:
    """Post and email every reminder due at `now` that has not gone out yet.

    Args:
        now: The current time (aware UTC).
        engine: Database engine; the configured one by default.

    Returns:
        How many reminders were sent.
    """
    return await asyncio.to_thread(_send, engine, now)
