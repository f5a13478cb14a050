"""Busy-time sync into the local cache, freshness and relinking, against the emulators."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from meetapp.db import open_session
from meetapp.models import CalendarConnection, ExternalBusy, ExternalEventLink, LinkedCalendar
from meetapp.realtime.changes import user_topic
from meetapp.services.busy import external_busy
from meetapp.services.calendar_accounts import decrypt_tokens
from meetapp.services.calendar_choices import CalendarHealth, calendar_health, set_check_conflicts
from meetapp.services.calendar_links import disconnect
from meetapp.services.calendar_sync import cache_is_fresh, ensure_fresh_busy, sync_user_calendars
from meetapp.services.calendar_writes import upsert_meeting_event
from tests.integration.calendar_service.conftest import (
    EVENTS,
    GOOGLE_CAL,
    MS_CAL,
    MS_TOKEN,
    NOW,
    link_oauth,
    live,
)
from tests.integration.calendar_service.test_writes import payload


def timed(event_id, start, hours=1, **fields):
    end = start + timedelta(hours=hours)
    return {
        "id": event_id,
        "start": {"dateTime": start.isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": end.isoformat(), "timeZone": "UTC"},
        **fields,
    }


def busy(engine, user):
    with open_session(engine) as db:
        return external_busy(db, user.id, NOW - timedelta(days=2), NOW + timedelta(days=100))


def connection(engine):
    with open_session(engine) as db:
        return db.exec(select(CalendarConnection)).one()


async def test_sync_fills_cache_with_blocking_events_only(browser, http, google, engine, user):
    emulator, _ = google
    one, two = NOW + timedelta(days=1), NOW + timedelta(days=2)
    emulator.add_event(GOOGLE_CAL, timed("busy1", one))
    emulator.add_event(GOOGLE_CAL, timed("free1", one, transparency="transparent"))
    declined = [{"email": "alice@example.com", "self": True, "responseStatus": "declined"}]
    emulator.add_event(GOOGLE_CAL, timed("declined1", two, attendees=declined))
    emulator.add_event("holidays", timed("holiday1", two))
    await link_oauth(browser, http, "google")

    outcome = await sync_user_calendars(user.id, NOW, engine)

    assert (outcome.synced, outcome.errors) == (1, {})
    assert busy(engine, user) == [(one, one + timedelta(hours=1))]
    assert connection(engine).last_synced_at == NOW


async def test_incremental_sync_applies_changes(browser, http, google, engine, user):
    emulator, _ = google
    one, two = NOW + timedelta(days=1), NOW + timedelta(days=2)
    emulator.add_event(GOOGLE_CAL, timed("busy1", one))
    emulator.add_event(GOOGLE_CAL, timed("busy2", two))
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)

    emulator.delete_event(GOOGLE_CAL, "busy1")
    emulator.add_event(GOOGLE_CAL, timed("busy2", two, hours=2))
    emulator.add_event(GOOGLE_CAL, timed("busy3", one, transparency="opaque"))
    emulator.reset_counts()
    await sync_user_calendars(user.id, NOW + timedelta(minutes=1), engine, force=True)

    assert busy(engine, user) == [(one, one + timedelta(hours=1)), (two, two + timedelta(hours=2))]
    assert emulator.count(EVENTS) == 2  # one incremental call, paged by two


async def test_expired_sync_token_triggers_one_full_resync(browser, http, google, engine, user):
    emulator, _ = google
    one = NOW + timedelta(days=1)
    emulator.add_event(GOOGLE_CAL, timed("busy1", one))
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)
    emulator.expire_sync_tokens()
    emulator.delete_event(GOOGLE_CAL, "busy1")
    emulator.reset_counts()

    outcome = await sync_user_calendars(user.id, NOW + timedelta(minutes=1), engine, force=True)

    assert outcome.errors == {}
    assert busy(engine, user) == []
    assert emulator.count(EVENTS) == 2  # the 410, then one full sync (a single page)
    with open_session(engine) as db:
        calendar = db.exec(select(LinkedCalendar).where(LinkedCalendar.remote_id == GOOGLE_CAL))
        assert calendar.one().full_synced_at == NOW + timedelta(minutes=1)


async def test_fresh_cache_makes_zero_provider_calls(browser, http, google, engine, user):
    emulator, _ = google
    emulator.add_event(GOOGLE_CAL, timed("busy1", NOW + timedelta(days=1)))
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)
    emulator.reset_counts()

    assert await ensure_fresh_busy(user.id, NOW + timedelta(minutes=4), engine)
    assert sum(emulator.counts.values()) == 0

    assert await ensure_fresh_busy(user.id, NOW + timedelta(minutes=6), engine)
    assert emulator.count(EVENTS) == 1


async def test_unreadable_calendar_keeps_last_good_cache(browser, http, google, engine, user):
    emulator, _ = google
    one = NOW + timedelta(days=1)
    emulator.add_event(GOOGLE_CAL, timed("busy1", one))
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)
    emulator.inject_fault(EVENTS, 503, times=5)

    fresh = await ensure_fresh_busy(user.id, NOW + timedelta(minutes=10), engine)

    assert not fresh
    assert busy(engine, user) == [(one, one + timedelta(hours=1))]
    assert "last good sync" in connection(engine).last_sync_error


async def test_a_failed_read_is_told_to_the_user_live_and_cleared_once_it_reads(
    browser, http, google, engine, user, published
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)
    not_found = {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}
    emulator.inject_fault(EVENTS, 404, body={"error": not_found}, times=2)
    published.clear()

    await ensure_fresh_busy(user.id, NOW + timedelta(minutes=10), engine)
    await ensure_fresh_busy(user.id, NOW + timedelta(minutes=20), engine)

    with open_session(engine) as db:
        health = calendar_health(db, user.id)
    assert health == CalendarHealth(False, unreadable=["Google calendar alice@example.com"])
    assert sum(user_topic(user.id) in batch for batch in published) == 1  # told once
    published.clear()

    await ensure_fresh_busy(user.id, NOW + timedelta(minutes=30), engine)

    with open_session(engine) as db:
        assert calendar_health(db, user.id).unreadable == []
    assert sum(user_topic(user.id) in batch for batch in published) == 1


async def test_microsoft_rotation_is_persisted(browser, http, microsoft, engine, user):
    emulator, _ = microsoft
    emulator.add_event(MS_CAL, NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1))
    await link_oauth(browser, http, "microsoft")
    before = decrypt_tokens(connection(engine).credentials)
    emulator.expire_access_tokens()
    emulator.reset_counts()

    await sync_user_calendars(user.id, NOW, engine)

    after = decrypt_tokens(connection(engine).credentials)
    assert emulator.count(MS_TOKEN) == 1
    assert after.refresh_token != before.refresh_token
    assert after.refresh_token in emulator.refresh_tokens  # the live, rotated one
    assert len(busy(engine, user)) == 1


async def test_google_refresh_keeps_refresh_token(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    before = decrypt_tokens(connection(engine).credentials)
    emulator.expire_access_tokens()

    await sync_user_calendars(user.id, NOW, engine)

    after = decrypt_tokens(connection(engine).credentials)
    assert after.access_token != before.access_token
    assert after.refresh_token == before.refresh_token


async def test_invalid_grant_needs_relink_without_retry(browser, http, microsoft, engine, user):
    emulator, _ = microsoft
    await link_oauth(browser, http, "microsoft")
    emulator.revoke_grants()
    emulator.expire_access_tokens()
    emulator.reset_counts()

    outcome = await sync_user_calendars(user.id, NOW, engine)
    again = await sync_user_calendars(user.id, NOW + timedelta(minutes=10), engine)

    assert connection(engine).status == "needs_relink"
    assert "invalid_grant" in connection(engine).status_detail
    assert outcome.errors
    assert again.synced == 0
    # The 401, one refresh attempt, and nothing after it.
    assert emulator.count(MS_TOKEN) == 1
    assert sum(emulator.counts.values()) == 2
    with open_session(engine) as db:
        assert calendar_health(db, user.id) == CalendarHealth(needs_relink=True, unreadable=[])
        assert cache_is_fresh(db, user.id, NOW)  # nothing left to refresh; no picker calls


async def test_unchecking_and_disconnecting_drop_the_cache(browser, http, google, engine, user):
    emulator, _ = google
    emulator.add_event(GOOGLE_CAL, timed("busy1", NOW + timedelta(days=1)))
    await link_oauth(browser, http, "google")
    await sync_user_calendars(user.id, NOW, engine)
    with open_session(engine) as db:
        calendar = db.exec(select(LinkedCalendar).where(LinkedCalendar.remote_id == GOOGLE_CAL))
        calendar_id = calendar.one().id
        set_check_conflicts(db, user.id, calendar_id, False)
    assert busy(engine, user) == []

    with open_session(engine) as db:
        set_check_conflicts(db, user.id, calendar_id, True)
    await sync_user_calendars(user.id, NOW, engine)
    assert len(busy(engine, user)) == 1

    await disconnect(user.id, connection(engine).id, engine)
    with open_session(engine) as db:
        assert db.exec(select(ExternalBusy)).all() == []


async def test_meeting_written_to_google_is_not_busy_twice(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    await upsert_meeting_event(payload(user), engine)

    await sync_user_calendars(user.id, NOW, engine)

    assert len(live(emulator.events(GOOGLE_CAL))) == 1
    assert busy(engine, user) == []


async def test_a_copy_synced_before_it_was_remembered_stops_being_busy(
    browser, http, google, engine, user
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    await upsert_meeting_event(payload(user), engine)
    with open_session(engine) as db:  # as if the worker died before remembering the event
        db.delete(db.exec(select(ExternalEventLink)).one())
    await sync_user_calendars(user.id, NOW, engine)
    assert len(busy(engine, user)) == 1  # so far it looks like anyone else's event

    await upsert_meeting_event(payload(user), engine)  # the job, delivered again

    assert len(live(emulator.events(GOOGLE_CAL))) == 1
    assert busy(engine, user) == []


async def test_a_calendar_another_worker_is_syncing_is_left_to_it(
    browser, http, google, engine, user
):
    emulator, _ = google
    one = NOW + timedelta(days=1)
    emulator.add_event(GOOGLE_CAL, timed("busy1", one))
    await link_oauth(browser, http, "google")
    with open_session(engine) as db:  # another worker started syncing a moment ago
        calendar = db.exec(select(LinkedCalendar).where(LinkedCalendar.remote_id == GOOGLE_CAL))
        calendar = calendar.one()
        calendar.sync_lease_until = NOW + timedelta(seconds=30)
        db.add(calendar)
    emulator.reset_counts()

    outcome = await sync_user_calendars(user.id, NOW, engine)

    assert outcome.synced == 0
    assert sum(emulator.counts.values()) == 0
    assert busy(engine, user) == []

    # That worker died: once its lease runs out the calendar is synced, and let go after.
    outcome = await sync_user_calendars(user.id, NOW + timedelta(minutes=1), engine)

    assert outcome.synced == 1
    assert busy(engine, user) == [(one, one + timedelta(hours=1))]
    with open_session(engine) as db:
        assert [c.sync_lease_until for c in db.exec(select(LinkedCalendar))] == [None, None]
