"""Linking a CalDAV account, syncing and writing, against a real Radicale server."""

from __future__ import annotations

import uuid
from datetime import timedelta

import caldav
import pytest
from sqlmodel import col, select

from meetapp.db import open_session
from meetapp.models import CalendarConnection, ExternalBusy, LinkedCalendar
from meetapp.services.calendar_caldav import link_caldav
from meetapp.services.calendar_choices import list_connections, set_receives_meetings
from meetapp.services.calendar_links import disconnect
from meetapp.services.calendar_sync import sync_user_calendars
from meetapp.services.calendar_writes import delete_meeting_event, upsert_meeting_event
from meetapp.services.errors import InvalidInput
from tests.emulators.radicale import RADICALE_PASSWORD, RADICALE_USER
from tests.integration.calendar_service.conftest import NOW
from tests.integration.calendar_service.test_writes import payload


def vevent(uid: str, start, extra: str = "") -> str:
    end = start + timedelta(hours=1)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end:%Y%m%dT%H%M%SZ}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def _linked(db, calendar: caldav.Calendar) -> LinkedCalendar:
    remote_id = str(calendar.url.canonical())
    return db.exec(select(LinkedCalendar).where(LinkedCalendar.remote_id == remote_id)).one()


def _busy_in(engine, calendar: caldav.Calendar) -> list[tuple]:
    """The cached busy times of one Radicale calendar (others of the account may exist)."""
    with open_session(engine) as db:
        ref = f":{_linked(db, calendar).id}"
        rows = db.exec(select(ExternalBusy).where(col(ExternalBusy.calendar_ref).endswith(ref)))
        return sorted((r.start, r.end) for r in rows)


def _receive_meetings_in(engine, user, calendar: caldav.Calendar) -> None:
    with open_session(engine) as db:
        set_receives_meetings(db, user.id, _linked(db, calendar).id)


async def test_wrong_password_is_a_clear_error(radicale, engine, user):
    with pytest.raises(InvalidInput, match="refused this username and password") as caught:
        await link_caldav(user.id, radicale, RADICALE_USER, "wrong", engine)
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("caldav.example.com", "starting with https://"),
        ("http://127.0.0.1:9/", "Could not reach"),
    ],
)
async def test_bad_url_is_a_clear_error(url, message, engine, user):
    with pytest.raises(InvalidInput, match=message):
        await link_caldav(user.id, url, RADICALE_USER, RADICALE_PASSWORD, engine)


async def test_link_sync_write_disconnect(radicale, work_calendar, engine, user):
    start = NOW + timedelta(days=1)
    work_calendar.add_event(vevent("busy-1", start))
    work_calendar.add_event(vevent("free-1", start, "TRANSP:TRANSPARENT\r\n"))

    connection_id = await link_caldav(user.id, radicale, RADICALE_USER, RADICALE_PASSWORD, engine)
    outcome = await sync_user_calendars(user.id, NOW, engine)

    assert outcome.errors == {}
    assert _busy_in(engine, work_calendar) == [(start, start + timedelta(hours=1))]
    with open_session(engine) as db:
        assert RADICALE_PASSWORD not in repr(list_connections(db, user.id))
    _receive_meetings_in(engine, user, work_calendar)

    uid = f"meeting-{uuid.uuid4().hex}"
    await upsert_meeting_event(payload(user, uid=uid), engine)
    await upsert_meeting_event(payload(user, uid=uid), engine)
    assert "Alice and Bob" in work_calendar.event_by_uid(uid).data
    await delete_meeting_event(payload(user, uid=uid), engine)
    with pytest.raises(caldav.lib.error.NotFoundError):
        work_calendar.event_by_uid(uid)

    await disconnect(user.id, connection_id, engine)
    with open_session(engine) as db:
        assert db.exec(select(CalendarConnection)).all() == []
        assert db.exec(select(ExternalBusy)).all() == []


async def test_meetings_we_wrote_do_not_count_as_busy(radicale, work_calendar, engine, user):
    theirs = NOW + timedelta(days=1)
    work_calendar.add_event(vevent("someone-elses", theirs))
    await link_caldav(user.id, radicale, RADICALE_USER, RADICALE_PASSWORD, engine)
    _receive_meetings_in(engine, user, work_calendar)
    await upsert_meeting_event(payload(user, uid=f"meeting-{uuid.uuid4().hex}@meetapp"), engine)

    await sync_user_calendars(user.id, NOW, engine)

    # The meeting blocks its time as a meeting; its copy would block a reschedule onto
    # an overlapping time, and linger after a cancel until the next sync.
    assert len(work_calendar.events()) == 2
    assert _busy_in(engine, work_calendar) == [(theirs, theirs + timedelta(hours=1))]
