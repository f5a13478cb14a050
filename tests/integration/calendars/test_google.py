"""Google adapter and OAuth against the Google emulator."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from meetapp.calendars.base import NeedsRelink, SyncTokenExpired
from meetapp.calendars.google import GoogleCalendarProvider, google_event_id
from meetapp.calendars.oauth import authorization_url, exchange_code
from meetapp.calendars.retry import with_backoff
from tests.integration.calendars.conftest import (
    USER_ZONE,
    SavedTokens,
    SleepRecorder,
    consent,
    manager,
    meeting,
    rescheduled,
)

CAL = "primary@example.com"
EVENTS = "/calendar/v3/calendars/primary@example.com/events"
WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))


def provider(google, google_cfg, http, saved=None, expires_in=3600):
    emulator, _ = google
    tokens = manager(google_cfg, emulator, http, saved or SavedTokens(), expires_in)
    return GoogleCalendarProvider(tokens, http, USER_ZONE, page_size=2)


def timed(event_id, start, hours=1, zone="UTC", **fields):
    end = start + timedelta(hours=hours)
    return {
        "id": event_id,
        "start": {"dateTime": start.isoformat(), "timeZone": zone},
        "end": {"dateTime": end.isoformat(), "timeZone": zone},
        **fields,
    }


async def test_code_exchange_with_pkce_and_state(google, google_cfg, http):
    url, state, verifier = authorization_url(google_cfg, "http://127.0.0.1/callback")
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"]
    assert query["prompt"] == ["consent"]
    assert query["state"] == [state]

    back = await consent(http, url)
    assert back["state"] == state

    tokens = await exchange_code(
        google_cfg, "http://127.0.0.1/callback", back["code"], verifier, http
    )
    assert tokens.account_email == "alice@example.com"
    assert tokens.refresh_token
    assert "access_token" not in repr(tokens)
    assert tokens.access_token not in repr(tokens)


async def test_wrong_verifier_is_refused(google, google_cfg, http):
    url, _, _ = authorization_url(google_cfg, "http://127.0.0.1/callback")
    _emulator, _ = google
    code = (await consent(http, url))["code"]
    with pytest.raises(NeedsRelink):
        await exchange_code(google_cfg, "http://127.0.0.1/callback", code, "x" * 64, http)


async def test_missing_scopes_need_relink(google, google_cfg, http):
    emulator, _ = google
    emulator.oauth.withheld_scopes = {"https://www.googleapis.com/auth/calendar.events"}
    url, _, verifier = authorization_url(google_cfg, "http://127.0.0.1/cb")
    code = (await consent(http, url))["code"]
    with pytest.raises(NeedsRelink, match=r"missing scopes: .*calendar\.events"):
        await exchange_code(google_cfg, "http://127.0.0.1/cb", code, verifier, http)


async def test_refresh_before_expiry_keeps_refresh_token(google, google_cfg, http):
    emulator, _ = google
    saved = SavedTokens()
    calendars = provider(google, google_cfg, http, saved, expires_in=30)
    old_refresh = calendars._tokens.tokens.refresh_token

    [calendar] = await calendars.list_calendars()

    assert calendar.is_primary
    assert calendar.can_write
    assert calendar.timezone == USER_ZONE
    assert emulator.count("/token") == 1
    assert emulator.count("/calendar/v3/users/me/calendarList") == 1
    assert [t.refresh_token for t in saved.saved] == [old_refresh]
    assert saved.saved[0].expires_at > datetime.now(UTC) + timedelta(minutes=30)


async def test_refresh_once_on_401_then_retry(google, google_cfg, http):
    emulator, _ = google
    saved = SavedTokens()
    calendars = provider(google, google_cfg, http, saved)
    emulator.expire_access_tokens()

    assert len(await calendars.list_calendars()) == 1
    assert emulator.count("/token") == 1
    assert emulator.count("/calendar/v3/users/me/calendarList") == 2
    assert len(saved.saved) == 1


async def test_invalid_grant_needs_relink_without_retry_loop(google, google_cfg, http):
    emulator, _ = google
    calendars = provider(google, google_cfg, http)
    emulator.revoke_grants()

    with pytest.raises(NeedsRelink, match="invalid_grant"):
        await calendars.list_calendars()
    assert emulator.count("/token") == 1
    assert emulator.count("/calendar/v3/users/me/calendarList") == 1


async def test_rate_limits_back_off_honouring_retry_after(google, google_cfg, http):
    emulator, _ = google
    calendars = provider(google, google_cfg, http)
    path = "/calendar/v3/users/me/calendarList"
    emulator.rate_limit(path, status=429, retry_after="7")
    emulator.rate_limit(path, status=403)
    sleep = SleepRecorder()

    result = await with_backoff(calendars.list_calendars, attempts=3, base_delay=0.5, sleep=sleep)

    assert len(result) == 1
    assert sleep.delays[0] == 7
    assert 0 <= sleep.delays[1] <= 1.0
    assert emulator.count(path) == 3


async def test_paging_and_expired_sync_token_does_one_full_resync(google, google_cfg, http):
    emulator, _ = google
    for n in range(5):
        emulator.add_event(CAL, timed(f"evt{n:02d}x", datetime(2026, 3, 2 + n, 15, tzinfo=UTC)))
    calendars = provider(google, google_cfg, http)

    first = await calendars.sync_events(CAL, None, *WINDOW)
    assert first.full
    assert len(first.upserts) == 5
    assert emulator.count(EVENTS) == 3  # pages of two

    emulator.expire_sync_tokens()
    again = await calendars.sync_events(CAL, first.next_sync_token, *WINDOW)
    assert again.full
    assert len(again.upserts) == 5
    assert emulator.count(EVENTS) == 3 + 1 + 3

    emulator.expire_sync_tokens()
    gone = {"error": {"code": 410, "message": "Sync token is no longer valid."}}
    emulator.inject_fault(EVENTS, 410, gone, times=2)
    with pytest.raises(SyncTokenExpired):
        await calendars.sync_events(CAL, again.next_sync_token, *WINDOW)
    assert emulator.count(EVENTS) == 7 + 2


async def test_busy_rules_and_recurrence(google, google_cfg, http):
    emulator, _ = google
    day = datetime(2026, 3, 10, 14, tzinfo=UTC)
    emulator.add_event(CAL, timed("busy1", day))
    emulator.add_event(CAL, timed("free1", day, transparency="transparent"))
    emulator.add_event(CAL, timed("tent1", day, status="tentative"))
    declined = [{"email": "alice@example.com", "self": True, "responseStatus": "declined"}]
    emulator.add_event(CAL, timed("decl1", day, attendees=declined))
    emulator.add_event(CAL, timed("canc1", day, status="cancelled"))
    emulator.add_event(
        CAL, {"id": "allday1", "start": {"date": "2026-03-12"}, "end": {"date": "2026-03-14"}}
    )
    # Daily 09:00 Los Angeles, across the US DST change on 2026-03-08.
    la = "America/Los_Angeles"
    series = timed(
        "series1", datetime(2026, 3, 6, 9), zone=la, recurrence=["RRULE:FREQ=DAILY;COUNT=4"]
    )
    series["start"]["dateTime"] = "2026-03-06T09:00:00-08:00"
    series["end"]["dateTime"] = "2026-03-06T10:00:00-08:00"
    emulator.add_event(CAL, series)
    moved = timed("series1_20260308T160000Z", datetime(2026, 3, 8, 20, tzinfo=UTC))
    moved |= {
        "recurringEventId": "series1",
        "originalStartTime": {"dateTime": "2026-03-08T09:00:00-07:00"},
    }
    emulator.add_event(CAL, moved)
    cancelled = {
        "id": "series1_20260309T160000Z",
        "recurringEventId": "series1",
        "status": "cancelled",
    }
    emulator.add_event(CAL, cancelled | {"start": moved["start"], "end": moved["end"]})

    result = await provider(google, google_cfg, http).sync_events(CAL, None, *WINDOW)
    events = {e.id: e for e in result.upserts}

    assert events["busy1"].blocks_time
    assert events["tent1"].blocks_time
    assert not events["free1"].blocks_time
    assert not events["decl1"].blocks_time
    assert "canc1" not in events
    all_day = events["allday1"]
    assert all_day.all_day
    assert all_day.start == datetime(2026, 3, 12, 4, tzinfo=UTC)
    assert all_day.end == datetime(2026, 3, 14, 4, tzinfo=UTC)
    instances = sorted((e.id, e.start.hour) for e in result.upserts if e.id.startswith("series1_"))
    assert instances == [
        ("series1_20260306T170000Z", 17),
        ("series1_20260307T170000Z", 17),
        ("series1_20260308T160000Z", 20),
    ]


async def test_incremental_sync_reports_changes_and_deletions(google, google_cfg, http):
    emulator, _ = google
    emulator.add_event(CAL, timed("keep1", datetime(2026, 3, 3, 9, tzinfo=UTC)))
    emulator.add_event(CAL, timed("gone1", datetime(2026, 3, 4, 9, tzinfo=UTC)))
    calendars = provider(google, google_cfg, http)
    first = await calendars.sync_events(CAL, None, *WINDOW)

    emulator.delete_event(CAL, "gone1")
    emulator.add_event(CAL, timed("new01", datetime(2026, 3, 5, 9, tzinfo=UTC)))
    second = await calendars.sync_events(CAL, first.next_sync_token, *WINDOW)

    assert not second.full
    assert [e.id for e in second.upserts] == ["new01"]
    assert second.deleted_ids == ["gone1"]


async def test_create_update_delete_are_idempotent(google, google_cfg, http):
    emulator, _ = google
    calendars = provider(google, google_cfg, http)
    draft = meeting("meeting-42", "https://app.test/meet/x", want_conference=True)

    written = await calendars.create_event(CAL, draft)
    again = await calendars.create_event(CAL, draft)

    assert written == again
    assert written.event_id == google_event_id("meeting-42")
    assert re.fullmatch(
        r"https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}", written.conference_url
    )
    [stored] = emulator.events(CAL)
    assert stored["conferenceData"]["createRequest"]["requestId"] == "meeting-42"
    assert "location" not in stored  # the Meet link is the place to meet

    moved = await calendars.update_event(CAL, written.event_id, rescheduled("meeting-42"))
    [stored] = emulator.events(CAL)
    assert stored["start"]["dateTime"] == "2026-03-20T17:00:00Z"
    assert stored["description"] == "Moved"
    assert moved.conference_url == written.conference_url

    await calendars.delete_event(CAL, written.event_id)
    await calendars.delete_event(CAL, written.event_id)
    await calendars.delete_event(CAL, "neverexisted")
    assert emulator.events(CAL)[0]["status"] == "cancelled"


async def test_without_want_conference_no_meet_is_created(google, google_cfg, http):
    emulator, _ = google
    calendars = provider(google, google_cfg, http)

    written = await calendars.create_event(CAL, meeting("meeting-43", "https://app.test/meet/x"))

    assert written.conference_url is None
    [stored] = emulator.events(CAL)
    assert "conferenceData" not in stored
    assert "hangoutLink" not in stored
    assert stored["location"] == "https://app.test/meet/x"


async def test_revoke_ends_the_grant(google, google_cfg, http):
    emulator, _ = google
    calendars = provider(google, google_cfg, http)
    await calendars.revoke()
    emulator.expire_access_tokens()
    with pytest.raises(NeedsRelink):
        await calendars.list_calendars()
    assert emulator.count("/revoke") == 1
