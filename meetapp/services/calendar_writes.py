"""Outbox handlers that write meetings into the host's external calendar.

Importing this module registers them. Each handler is idempotent: the providers
dedupe creates by our meeting uid, and the event's id is remembered in
``ExternalEventLink`` so that a reschedule patches and a cancel deletes that event.
When the host's connection wants a conference, the Meet / Teams link the provider
created is stored on the meeting, and from then on it is the meeting's join link.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meetapp.calendars.base import EventDraft, NeedsRelink, RateLimited, TransientError
from meetapp.db import open_session
from meetapp.models import CalendarConnection, ExternalEventLink, LinkedCalendar, Meeting, User
from meetapp.realtime.changes import mark_changed, room_topic
from meetapp.services.calendar_accounts import ACTIVE, mark_needs_relink, open_provider
from meetapp.services.calendar_sync import forget_busy_event
from meetapp.services.outbox import CALENDAR_DELETE, CALENDAR_UPSERT, RetryLater, register_handler

WRITE_TIMEOUT_SECONDS = 20.0


def _draft(payload: dict[str, Any], want_conference: bool) -> EventDraft:
    # The host's connection, not the payload, decides: it may change after booking.
    return EventDraft(
        uid=payload["meeting_uid"],
        title=payload["title"],
        description=payload.get("description", ""),
        start=datetime.fromisoformat(payload["start"]),
        end=datetime.fromisoformat(payload["end"]),
        attendee_emails=list(payload.get("attendee_emails", [])),
        join_url=payload.get("join_url"),
        want_conference=want_conference,
    )


def _links(db: Session, host_id: int, meeting_uid: str) -> list[ExternalEventLink]:
    return list(
        db.exec(
            select(ExternalEventLink)
            .join(CalendarConnection, col(CalendarConnection.id) == ExternalEventLink.connection_id)
            .where(
                ExternalEventLink.meeting_uid == meeting_uid,
                CalendarConnection.user_id == host_id,
            )
        )
    )


def _receiving_calendar(db: Session, host_id: int) -> LinkedCalendar | None:
    return db.exec(
        select(LinkedCalendar)
        .join(CalendarConnection, col(CalendarConnection.id) == LinkedCalendar.connection_id)
        .where(CalendarConnection.user_id == host_id, col(LinkedCalendar.receives_meetings))
    ).first()


class _ProviderFailure:
    """Maps adapter errors to what the outbox worker should do."""

    def __init__(self, engine: Engine | None, connection_id: int) -> None:
        self._engine = engine
        self._connection_id = connection_id

    def __enter__(self) -> _ProviderFailure:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if isinstance(exc, NeedsRelink):
            # Retrying cannot help until the host relinks; the banner tells them.
            mark_needs_relink(self._engine, self._connection_id, str(exc))
            return True
        if isinstance(exc, RateLimited):
            raise RetryLater(str(exc), exc.retry_after_seconds) from exc
        if isinstance(exc, TransientError):
            raise RetryLater(str(exc)) from exc
        return False


async def upsert_meeting_event(payload: dict[str, Any], engine: Engine | None = None) -> None:
    """Create the meeting in the host's receiving calendar, or update the written event.

    Args:
        payload: The outbox contract (host_id, meeting_uid, title, description, start,
            end, attendee_emails, join_url, sequence).
        engine: The database; the configured one by default.

    Raises:
        RetryLater: Rate limited (with the provider's Retry-After) or a transient failure.
    """
    host_id, uid = payload["host_id"], payload["meeting_uid"]
    with open_session(engine) as db:
        link = next(iter(_links(db, host_id, uid)), None)
        calendar = None if link else _receiving_calendar(db, host_id)
        connection_id = link.connection_id if link else calendar.connection_id if calendar else None
        connection = db.get(CalendarConnection, connection_id) if connection_id else None
        host = db.get(User, host_id)
    if connection is None or host is None or connection.status != ACTIVE:
        return  # nothing linked (or linked but unusable): there is nothing to write
    draft = _draft(payload, connection.want_conference)
    with _ProviderFailure(engine, connection.id):
        async with open_provider(
            connection, host, request_timeout=WRITE_TIMEOUT_SECONDS, engine=engine
        ) as provider:
            if link is not None:
                written = await provider.update_event(
                    link.remote_calendar_id, link.remote_event_id, draft
                )
            else:
                written = await provider.create_event(calendar.remote_id, draft)
        if link is None:
            _remember(engine, uid, connection.id, calendar.remote_id, written.event_id)
        if written.conference_url:
            _store_conference_url(engine, uid, written.conference_url)


def _remember(
    engine: Engine | None, uid: str, connection_id: int, calendar_id: str, event_id: str
) -> None:
    try:
        with open_session(engine) as db:
            db.add(
                ExternalEventLink(
                    meeting_uid=uid,
                    connection_id=connection_id,
                    remote_calendar_id=calendar_id,
                    remote_event_id=event_id,
                )
            )
            forget_busy_event(db, connection_id, event_id)
    except IntegrityError:
        pass  # a concurrent delivery of the same job already remembered the same event


def _store_conference_url(engine: Engine | None, uid: str, url: str) -> None:
    """Make the provider's conference link the meeting's join link, refreshing its room."""
    with open_session(engine) as db:
        meeting = db.exec(select(Meeting).where(Meeting.uid == uid)).first()
        if meeting is None or meeting.conference_url == url:
            return
        meeting.conference_url = url
        db.add(meeting)
        mark_changed(db, [room_topic(meeting.room_id)])


async def delete_meeting_event(payload: dict[str, Any], engine: Engine | None = None) -> None:
    """Delete the meeting's event from the host's calendar; no written event is success.

    Raises:
        RetryLater: Rate limited (with the provider's Retry-After) or a transient failure.
    """
    host_id, uid = payload["host_id"], payload["meeting_uid"]
    with open_session(engine) as db:
        links = _links(db, host_id, uid)
        connections = {link.id: db.get(CalendarConnection, link.connection_id) for link in links}
        host = db.get(User, host_id)
    for link in links:
        connection = connections[link.id]
        if connection is None or connection.status != ACTIVE or host is None:
            continue
        with _ProviderFailure(engine, connection.id):
            async with open_provider(
                connection, host, request_timeout=WRITE_TIMEOUT_SECONDS, engine=engine
            ) as provider:
                await provider.delete_event(link.remote_calendar_id, link.remote_event_id)
            with open_session(engine) as db:
                db.delete(db.get(ExternalEventLink, link.id))


register_handler(CALENDAR_UPSERT, upsert_meeting_event)
register_handler(CALENDAR_DELETE, delete_meeting_event)
