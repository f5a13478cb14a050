"""Linking a CalDAV account, syncing and writing, against a real Radicale server."""

from __future__ import annotations

import uuid
from datetime import timedelta

import caldav
import pytest
from sqlmodel import select

from meetapp.db import open_session
from meetapp.models import CalendarConnection, ExternalBusy, LinkedCalendar
from meetapp.services.calendar_caldav import link_caldav
from meetapp.services.calendar_choices import list_connections
from meetapp.services.calendar_links import disconnect
from meetapp.services.calendar_sync import sync_user_calendars
from meetapp.services.calendar_writes import delete_meeting_event, upsert_meeting_event
from meetapp.services.errors import InvalidInput
from tests.emulators.radicale import RADICALE_PASSWORD, RADICALE_USER
from tests.integration.calendar_service.conftest import NOW
from tests.integration.calendar_service.test_writes import payload


@pytest.fixture
def work_calendar(radicale: str) -> caldav.Calendar:
    client = caldav.DAVClient(url=radicale, username=RADICALE_USER, password=RADICALE_PASSWORD)
    return client.principal().make_calendar(name="Work", cal_id=uuid.uuid4().hex)


def vevent(uid: str, start, extra: str = "") -> str:
    end = start + timedelta(hours=1)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end:%Y%m%dT%H%M%SZ}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


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
    work_ref = str(work_calendar.url.canonical())
    with open_session(engine) as db:
        work = db.exec(select(LinkedCalendar).where(LinkedCalendar.remote_id == work_ref)).one()
        rows = db.exec(
            select(ExternalBusy).where(ExternalBusy.calendar_ref.endswith(f":{work.id}"))
        )
        assert [(r.start, r.end) for r in rows] == [(start, start + timedelta(hours=1))]
        views = list_connections(db, user.id)
        assert RADICALE_PASSWORD not in repr(views)
        # Make the fresh calendar receive meetings so the write lands where we look.
        for cal in db.exec(select(LinkedCalendar)):
            cal.receives_meetings = cal.id == work.id
            db.add(cal)

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
