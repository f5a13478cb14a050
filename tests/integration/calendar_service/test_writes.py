"""Outbox handlers writing meetings to the host's calendar, against the emulators."""

from __future__ import annotations

import pytest
from sqlmodel import select

from meetapp import db as meetapp_db
from meetapp.config import get_settings
from meetapp.crypto import _fernet
from meetapp.db import create_db_engine, open_session
from meetapp.models import CalendarConnection, ExternalEventLink, OutboxJob
from meetapp.services.calendar_writes import delete_meeting_event, upsert_meeting_event
from meetapp.services.outbox import CALENDAR_DELETE, CALENDAR_UPSERT, RetryLater, handler_for
from tests.integration.calendar_service.conftest import (
    EVENTS,
    GOOGLE_CAL,
    MS_CAL,
    book,
    link_oauth,
    live,
    run_outbox,
)


def payload(user, uid="meeting-1", start="2026-03-20T15:00:00Z", end="2026-03-20T15:30:00Z"):
    return {
        "host_id": user.id,
        "meeting_uid": uid,
        "title": "Alice and Bob",
        "description": "Room: http://app.test/rooms/1",
        "start": start,
        "end": end,
        "attendee_emails": ["bob@example.com"],
        "join_url": "http://app.test/join/1",
        "sequence": 0,
    }


def test_handlers_are_registered():
    assert handler_for(CALENDAR_UPSERT) is upsert_meeting_event
    assert handler_for(CALENDAR_DELETE) is delete_meeting_event


async def test_no_connection_is_success(engine, user):
    await upsert_meeting_event(payload(user), engine)
    await delete_meeting_event(payload(user), engine)


async def test_create_update_delete_on_google(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")

    await upsert_meeting_event(payload(user), engine)
    await upsert_meeting_event(payload(user), engine)  # a redelivered job
    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["summary"] == "Alice and Bob"
    assert event["location"] == "http://app.test/join/1"

    moved = payload(user, start="2026-03-21T09:00:00Z", end="2026-03-21T10:00:00Z")
    await upsert_meeting_event(moved, engine)
    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["start"]["dateTime"].startswith("2026-03-21T09:00:00")

    await delete_meeting_event(moved, engine)
    await delete_meeting_event(moved, engine)  # idempotent
    assert live(emulator.events(GOOGLE_CAL)) == []
    with open_session(engine) as db:
        assert db.exec(select(ExternalEventLink)).all() == []


async def test_create_is_idempotent_without_the_link(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    await upsert_meeting_event(payload(user), engine)
    with open_session(engine) as db:  # as if we crashed before remembering the event
        db.delete(db.exec(select(ExternalEventLink)).one())

    await upsert_meeting_event(payload(user), engine)

    assert len(live(emulator.events(GOOGLE_CAL))) == 1


async def test_rate_limit_asks_to_retry_after(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    emulator.rate_limit(EVENTS, 429, retry_after="7")

    with pytest.raises(RetryLater) as caught:
        await upsert_meeting_event(payload(user), engine)

    assert caught.value.delay_seconds == 7
    emulator.inject_fault(EVENTS, 503)
    with pytest.raises(RetryLater) as caught:
        await upsert_meeting_event(payload(user), engine)
    assert caught.value.delay_seconds is None
    await upsert_meeting_event(payload(user), engine)
    assert len(live(emulator.events(GOOGLE_CAL))) == 1


async def test_revoked_grant_marks_relink_and_stops(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    emulator.revoke_grants()
    emulator.expire_access_tokens()

    await upsert_meeting_event(payload(user), engine)  # returns: no retry forever

    with open_session(engine) as db:
        assert db.exec(select(CalendarConnection)).one().status == "needs_relink"


async def test_create_and_delete_on_microsoft(browser, http, microsoft, engine, user):
    emulator, _ = microsoft
    await link_oauth(browser, http, "microsoft")

    await upsert_meeting_event(payload(user), engine)
    await upsert_meeting_event(payload(user), engine)  # a redelivered job

    (event,) = emulator.events(MS_CAL)
    assert event["location"] == {"displayName": "http://app.test/join/1"}
    assert event["isOnlineMeeting"] is False
    await delete_meeting_event(payload(user), engine)
    assert emulator.events(MS_CAL) == []


def _calendar_write_job(engine) -> OutboxJob:
    with open_session(engine) as db:
        return db.exec(select(OutboxJob).where(OutboxJob.kind == CALENDAR_UPSERT)).one()


async def test_a_failed_write_is_retried_after_a_restart_exactly_once(
    browser, http, google, engine, sqlite_url, user, bob
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    emulator.inject_fault(EVENTS, 503)

    meeting = book(engine, user, bob)  # queues the write in the booking's transaction
    await run_outbox(engine)

    assert live(emulator.events(GOOGLE_CAL)) == []
    job = _calendar_write_job(engine)
    assert (job.attempts, job.done_at) == (1, None)
    assert (
        job.last_error == f"RetryLater: POST /calendar/v3/calendars/{GOOGLE_CAL}/events: HTTP 503"
    )
    # The app stops: its connections, settings and key cache go; the database stays.
    engine.dispose()
    for cache in (meetapp_db.get_engine, get_settings, _fernet):
        cache.cache_clear()
    restarted = create_db_engine(sqlite_url)

    await run_outbox(restarted, minutes_ahead=10)  # past the backoff
    await run_outbox(restarted, minutes_ahead=20)  # nothing left to write

    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["start"]["dateTime"] == "2026-03-03T15:00:00Z"
    job = _calendar_write_job(restarted)
    assert (job.attempts, job.done_at is not None) == (2, True)
    with open_session(restarted) as db:
        link = db.exec(select(ExternalEventLink)).one()
    assert (link.meeting_uid, link.remote_event_id) == (meeting.uid, event["id"])
    restarted.dispose()
