"""Per-account settings: video links on written meetings, tentative events as busy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from meetapp.db import open_session
from meetapp.models import CalendarConnection, User
from meetapp.services.calendar_caldav import link_caldav
from meetapp.services.calendar_choices import (
    list_connections,
    set_tentative_is_busy,
    set_want_conference,
)
from meetapp.services.calendar_sync import ensure_fresh_busy, sync_user_calendars
from meetapp.services.calendar_writes import upsert_meeting_event
from meetapp.services.errors import InvalidInput, NotFound
from tests.emulators.radicale import RADICALE_PASSWORD, RADICALE_USER
from tests.integration.calendar_service.conftest import GOOGLE_CAL, MS_CAL, NOW, link_oauth
from tests.integration.calendar_service.test_sync import busy
from tests.integration.calendar_service.test_writes import live, payload


def _connection_id(engine, provider: str) -> int:
    with open_session(engine) as db:
        query = select(CalendarConnection.id).where(CalendarConnection.provider == provider)
        return db.exec(query).one()


def _view(engine, user, provider: str):
    with open_session(engine) as db:
        return next(v for v in list_connections(db, user.id) if v.provider == provider)


async def test_video_link_setting_reaches_the_written_meeting(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    connection_id = _connection_id(engine, "google")
    assert not _view(engine, user, "google").want_conference

    with open_session(engine) as db:
        set_want_conference(db, user.id, connection_id, True)
    await upsert_meeting_event(payload(user), engine)

    view = _view(engine, user, "google")
    assert (view.video_service, view.want_conference) == ("Google Meet", True)
    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["hangoutLink"].startswith("https://meet.google.com/")


async def test_without_the_setting_no_video_link_is_asked_for(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    connection_id = _connection_id(engine, "google")
    with open_session(engine) as db:
        set_want_conference(db, user.id, connection_id, True)
        set_want_conference(db, user.id, connection_id, False)

    await upsert_meeting_event(payload(user), engine)

    (event,) = live(emulator.events(GOOGLE_CAL))
    assert "hangoutLink" not in event
    assert event["location"] == "http://app.test/join/1"


async def test_caldav_cannot_add_a_video_link(radicale, work_calendar, engine, user):
    await link_caldav(user.id, radicale, RADICALE_USER, RADICALE_PASSWORD, engine)

    connection_id = _connection_id(engine, "caldav")
    with open_session(engine) as db, pytest.raises(InvalidInput) as caught:
        set_want_conference(db, user.id, connection_id, True)

    assert caught.value.field == "want_conference"
    assert caught.value.message == "CalDAV calendars cannot add a video link."
    view = _view(engine, user, "caldav")
    assert (view.video_service, view.has_tentative_setting) == ("", False)


async def test_tentative_events_stop_blocking_time_when_turned_off(
    browser, http, microsoft, engine, user
):
    emulator, _ = microsoft
    start = NOW + timedelta(days=1)
    emulator.add_event(MS_CAL, start, start + timedelta(hours=1), showAs="tentative")
    await link_oauth(browser, http, "microsoft")
    await sync_user_calendars(user.id, NOW, engine)
    assert busy(engine, user) == [(start, start + timedelta(hours=1))]
    assert _view(engine, user, "microsoft").tentative_is_busy

    with open_session(engine) as db:
        set_tentative_is_busy(db, user.id, _connection_id(engine, "microsoft"), False)
    # A minute later the cache would still be fresh; the change makes it stale at once.
    await ensure_fresh_busy(user.id, NOW + timedelta(minutes=1), engine)

    assert busy(engine, user) == []
    assert not _view(engine, user, "microsoft").tentative_is_busy


async def test_tentative_setting_is_for_microsoft_only(browser, http, engine, user):
    await link_oauth(browser, http, "google")

    with open_session(engine) as db, pytest.raises(InvalidInput) as caught:
        set_tentative_is_busy(db, user.id, _connection_id(engine, "google"), False)

    assert caught.value.field == "tentative_is_busy"
    assert not _view(engine, user, "google").has_tentative_setting


async def test_settings_of_someone_elses_account_are_not_found(browser, http, engine, user):
    await link_oauth(browser, http, "microsoft")
    connection_id = _connection_id(engine, "microsoft")
    with open_session(engine) as db:
        mallory = User(email="m@example.com", name="Mallory", password_hash="x")
        db.add(mallory)
        db.flush()
        for change in (set_want_conference, set_tentative_is_busy):
            with pytest.raises(NotFound):
                change(db, mallory.id, connection_id, False)
    view = _view(engine, user, "microsoft")
    assert (view.want_conference, view.tentative_is_busy) == (False, True)
