"""Microsoft Graph adapter and identity platform v2 OAuth against the Microsoft emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest

from meetapp.calendars.base import NeedsRelink, SyncTokenExpired
from meetapp.calendars.microsoft import MicrosoftCalendarProvider
from meetapp.calendars.oauth import authorization_url, exchange_code
from meetapp.calendars.retry import with_backoff
from tests.emulators.microsoft_events import all_day
from tests.integration.calendars.conftest import (
    USER_ZONE,
    SavedTokens,
    SleepRecorder,
    consent,
    manager,
    meeting,
    rescheduled,
)

CAL = "cal-main"
TOKEN = "/common/oauth2/v2.0/token"
DELTA = "/v1.0/me/calendars/cal-main/calendarView/delta"
WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))


def provider(microsoft, microsoft_cfg, http, saved=None, expires_in=3600, tentative_is_busy=True):
    emulator, _ = microsoft
    tokens = manager(microsoft_cfg, emulator, http, saved or SavedTokens(), expires_in)
    return MicrosoftCalendarProvider(tokens, http, USER_ZONE, tentative_is_busy, page_size=2)


async def test_code_exchange_with_pkce(microsoft, microsoft_cfg, http):
    url, state, verifier = authorization_url(microsoft_cfg, "http://127.0.0.1/cb")
    assert urlparse(url).path == "/common/oauth2/v2.0/authorize"
    back = await consent(http, url)
    assert back["state"] == state

    tokens = await exchange_code(microsoft_cfg, "http://127.0.0.1/cb", back["code"], verifier, http)

    assert tokens.account_email == "alice@example.com"
    assert {"User.Read", "Calendars.ReadWrite"} <= tokens.scopes


async def test_rotated_refresh_token_is_stored_every_time(microsoft, microsoft_cfg, http):
    emulator, _ = microsoft
    saved = SavedTokens()
    calendars = provider(microsoft, microsoft_cfg, http, saved)
    first_refresh = calendars._tokens.tokens.refresh_token

    emulator.expire_access_tokens()
    await calendars.list_calendars()
    emulator.expire_access_tokens()
    await calendars.list_calendars()

    assert emulator.count(TOKEN) == 2
    refreshes = [t.refresh_token for t in saved.saved]
    assert len(set(refreshes)) == 2
    assert first_refresh not in refreshes
    assert calendars._tokens.tokens.refresh_token == refreshes[-1]


async def test_reused_rotated_token_needs_relink_once(microsoft, microsoft_cfg, http):
    emulator, _ = microsoft
    calendars = provider(microsoft, microsoft_cfg, http, expires_in=10)
    stale = calendars._tokens.tokens
    await calendars.list_calendars()  # rotates the refresh token away from `stale`
    from meetapp.calendars.tokens import TokenManager

    replay = MicrosoftCalendarProvider(
        TokenManager(microsoft_cfg, stale, http, SavedTokens()), http, USER_ZONE
    )
    with pytest.raises(NeedsRelink, match="AADSTS70008"):
        await replay.list_calendars()
    assert emulator.count(TOKEN) == 2
    assert emulator.count("/v1.0/me/calendars") == 1


async def test_429_retry_after_and_expired_delta_token(microsoft, microsoft_cfg, http):
    emulator, _ = microsoft
    for n in range(3):
        start = datetime(2026, 3, 2 + n, 15, tzinfo=UTC)
        emulator.add_event(CAL, start, start + timedelta(hours=1), id=f"ev{n}")
    calendars = provider(microsoft, microsoft_cfg, http)
    emulator.inject_fault(DELTA, 429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "3"})
    sleep = SleepRecorder()

    first = await with_backoff(
        lambda: calendars.sync_events(CAL, None, *WINDOW), attempts=2, sleep=sleep
    )
    assert sleep.delays == [3]
    assert first.full
    assert len(first.upserts) == 3
    assert emulator.count(DELTA) == 1 + 2  # the 429, then two pages

    emulator.expire_delta_tokens()
    again = await calendars.sync_events(CAL, first.next_sync_token, *WINDOW)
    assert again.full
    assert len(again.upserts) == 3
    assert emulator.count(DELTA) == 3 + 1 + 2

    emulator.expire_delta_tokens()
    gone = {"error": {"code": "SyncStateNotFound", "message": "x"}}
    emulator.inject_fault(DELTA, 410, gone, times=2)
    with pytest.raises(SyncTokenExpired):
        await calendars.sync_events(CAL, again.next_sync_token, *WINDOW)
    assert emulator.count(DELTA) == 6 + 2


@pytest.mark.parametrize("tentative_is_busy", [True, False])
async def test_busy_rules_and_recurrence(microsoft, microsoft_cfg, http, tentative_is_busy):
    emulator, _ = microsoft
    start = datetime(2026, 3, 10, 14, tzinfo=UTC)
    end = start + timedelta(hours=1)
    for event_id, fields in {
        "busy": {},
        "oof": {"showAs": "oof"},
        "away": {"showAs": "workingElsewhere"},
        "free": {"showAs": "free"},
        "tent": {"showAs": "tentative"},
        "canc": {"isCancelled": True},
        "decl": {"responseStatus": {"response": "declined", "time": "2026-03-01T00:00:00Z"}},
    }.items():
        emulator.add_event(CAL, start, end, id=event_id, **fields)
    emulator.add_event(CAL, start, end, id="allday", **all_day(datetime(2026, 3, 12), days=2))
    series_start = datetime(2026, 3, 6, 17, tzinfo=UTC)  # 09:00 Los Angeles
    emulator.add_event(
        CAL,
        series_start,
        series_start + timedelta(hours=1),
        id="series",
        recurrence="FREQ=DAILY;COUNT=4",
        originalStartTimeZone="America/Los_Angeles",
        type="seriesMaster",
    )
    moved = datetime(2026, 3, 8, 20, tzinfo=UTC)
    emulator.add_event(
        CAL,
        moved,
        moved + timedelta(hours=1),
        id="series_20260308T160000",
        type="exception",
        seriesMasterId="series",
    )
    emulator.cancel_occurrence(CAL, "series", datetime(2026, 3, 9, 16, tzinfo=UTC))

    calendars = provider(microsoft, microsoft_cfg, http, tentative_is_busy=tentative_is_busy)
    events = {e.id: e for e in (await calendars.sync_events(CAL, None, *WINDOW)).upserts}

    assert all(events[i].blocks_time for i in ("busy", "oof", "away"))
    assert not any(events[i].blocks_time for i in ("free", "canc", "decl"))
    assert events["tent"].blocks_time is tentative_is_busy
    assert events["allday"].all_day
    assert events["allday"].start == datetime(2026, 3, 12, 4, tzinfo=UTC)
    assert events["allday"].end == datetime(2026, 3, 14, 4, tzinfo=UTC)
    instances = sorted((e.id, e.start.hour) for e in events.values() if e.id.startswith("series_"))
    assert instances == [
        ("series_20260306T170000", 17),
        ("series_20260307T170000", 17),
        ("series_20260308T160000", 20),
    ]


async def test_incremental_delta_reports_changes_and_removals(microsoft, microsoft_cfg, http):
    emulator, _ = microsoft
    start = datetime(2026, 3, 3, 9, tzinfo=UTC)
    emulator.add_event(CAL, start, start + timedelta(hours=1), id="keep")
    emulator.add_event(CAL, start, start + timedelta(hours=1), id="gone")
    calendars = provider(microsoft, microsoft_cfg, http)
    first = await calendars.sync_events(CAL, None, *WINDOW)

    emulator.delete_event(CAL, "gone")
    emulator.add_event(CAL, start, start + timedelta(hours=2), id="new")
    second = await calendars.sync_events(CAL, first.next_sync_token, *WINDOW)

    assert not second.full
    assert [e.id for e in second.upserts] == ["new"]
    assert second.deleted_ids == ["gone"]


async def test_create_update_delete_are_idempotent(microsoft, microsoft_cfg, http):
    emulator, _ = microsoft
    calendars = provider(microsoft, microsoft_cfg, http)
    draft = meeting("meeting-7", "https://app.test/meet/x", want_conference=True)

    written = await calendars.create_event(CAL, draft)
    again = await calendars.create_event(CAL, draft)

    assert written == again
    assert written.conference_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    [stored] = emulator.events(CAL)
    assert (stored["isOnlineMeeting"], stored["onlineMeetingProvider"]) == (
        True,
        "teamsForBusiness",
    )
    assert "location" not in stored

    moved = await calendars.update_event(CAL, written.event_id, rescheduled("meeting-7"))
    [stored] = emulator.events(CAL)
    assert stored["start"]["dateTime"] == "2026-03-20T17:00:00.0000000"
    assert moved.conference_url == written.conference_url

    await calendars.delete_event(CAL, written.event_id)
    await calendars.delete_event(CAL, written.event_id)
    assert emulator.events(CAL) == []
