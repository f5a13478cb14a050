"""CalDAV adapter against a real Radicale server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from meetapp.calendars.base import NeedsRelink, TransientError
from meetapp.calendars.caldav import CalDavCalendarProvider
from tests.integration.calendars.conftest import (
    MEETING_START,
    USER_ZONE,
    meeting,
    rescheduled,
)

WINDOW = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))


def provider(url: str, password: str = "secret") -> CalDavCalendarProvider:
    return CalDavCalendarProvider(url, "alice", password, USER_ZONE, ["alice@example.com"])


def vevent(uid: str, body: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{body}END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def at(when: str, hours: int = 1) -> str:
    start = datetime.strptime(when, "%Y%m%dT%H%M%SZ")
    end = start + timedelta(hours=hours)
    return f"DTSTART:{when}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"


SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VTIMEZONE\r
TZID:America/Los_Angeles\r
BEGIN:STANDARD\r
DTSTART:19701101T020000\r
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r
TZOFFSETFROM:-0700\r
TZOFFSETTO:-0800\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700308T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r
TZOFFSETFROM:-0800\r
TZOFFSETTO:-0700\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:series\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=America/Los_Angeles:20260306T090000\r
DTEND;TZID=America/Los_Angeles:20260306T100000\r
RRULE:FREQ=DAILY;COUNT=5\r
EXDATE;TZID=America/Los_Angeles:20260310T090000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:series\r
DTSTAMP:20260101T000000Z\r
RECURRENCE-ID;TZID=America/Los_Angeles:20260308T090000\r
DTSTART:20260308T200000Z\r
DTEND:20260308T210000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:series\r
DTSTAMP:20260101T000000Z\r
RECURRENCE-ID;TZID=America/Los_Angeles:20260309T090000\r
DTSTART;TZID=America/Los_Angeles:20260309T090000\r
DTEND;TZID=America/Los_Angeles:20260309T100000\r
STATUS:CANCELLED\r
END:VEVENT\r
END:VCALENDAR\r
"""


async def test_busy_rules_and_recurrence(radicale, caldav_calendar):
    seeds = {
        "busy": at("20260310T140000Z"),
        "free": at("20260310T140000Z") + "TRANSP:TRANSPARENT\r\n",
        "canc": at("20260310T140000Z") + "STATUS:CANCELLED\r\n",
        "decl": at("20260310T140000Z")
        + "ATTENDEE;PARTSTAT=DECLINED:mailto:Alice@Example.com\r\n"
        + "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n",
        "other": at("20260310T140000Z") + "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com\r\n",
        "allday": "DTSTART;VALUE=DATE:20260312\r\nDTEND;VALUE=DATE:20260314\r\n",
    }
    for uid, body in seeds.items():
        caldav_calendar.add_event(vevent(uid, body))
    caldav_calendar.add_event(SERIES)
    base = str(caldav_calendar.url.canonical())

    result = await provider(radicale).sync_events(base, None, *WINDOW)
    events = {e.id.removeprefix(base): e for e in result.upserts}

    assert result.full
    assert events["busy.ics"].blocks_time
    assert events["other.ics"].blocks_time
    assert not any(events[f"{uid}.ics"].blocks_time for uid in ("free", "canc", "decl"))
    assert events["allday.ics"].all_day
    assert events["allday.ics"].start == datetime(2026, 3, 12, 4, tzinfo=UTC)
    assert events["allday.ics"].end == datetime(2026, 3, 14, 4, tzinfo=UTC)
    series = sorted(
        (k, e.start.hour, e.blocks_time) for k, e in events.items() if k.startswith("series")
    )
    assert series == [
        ("series.ics_20260306T170000Z", 17, True),
        ("series.ics_20260307T170000Z", 17, True),
        ("series.ics_20260308T160000Z", 20, True),
        ("series.ics_20260309T160000Z", 16, False),
    ]


async def test_sync_token_changes_deletes_and_invalid_token(radicale, caldav_calendar):
    keep = caldav_calendar.add_event(vevent("keep", at("20260303T090000Z")))
    gone = caldav_calendar.add_event(vevent("gone", at("20260304T090000Z")))
    calendars = provider(radicale)
    cal_id = str(caldav_calendar.url.canonical())
    first = await calendars.sync_events(cal_id, None, *WINDOW)
    assert len(first.upserts) == 2

    gone.delete()
    keep.data = vevent("keep", at("20260303T110000Z"))
    keep.save()
    second = await calendars.sync_events(cal_id, first.next_sync_token, *WINDOW)

    assert not second.full
    gone_id, keep_id = str(gone.url.canonical()), str(keep.url.canonical())
    assert set(second.deleted_ids) == {gone_id, keep_id}
    assert [(e.id, e.start.hour) for e in second.upserts] == [(keep_id, 11)]
    assert second.removes(gone_id)

    third = await calendars.sync_events(cal_id, second.next_sync_token, *WINDOW)
    assert (third.upserts, third.deleted_ids, third.full) == ([], [], False)

    stale = first.next_sync_token.rsplit("/", 1)[0] + "/0" * 8
    resync = await calendars.sync_events(cal_id, stale, *WINDOW)
    assert resync.full
    assert [e.id for e in resync.upserts] == [keep_id]


async def test_create_update_delete_are_idempotent(radicale, caldav_calendar):
    calendars = provider(radicale)
    cal_id = str(caldav_calendar.url.canonical())
    draft = meeting("meeting-9", "https://meet.example/room/9")

    written = await calendars.create_event(cal_id, draft)
    again = await calendars.create_event(cal_id, draft)

    assert written == again
    assert written.conference_url is None  # CalDAV servers make no conferences
    [stored] = caldav_calendar.events()
    assert stored.icalendar_component["UID"] == "meeting-9"
    assert stored.icalendar_component["LOCATION"] == "https://meet.example/room/9"

    await calendars.update_event(cal_id, written.event_id, rescheduled("meeting-9"))
    [stored] = caldav_calendar.events()
    component = stored.icalendar_component
    assert component["SEQUENCE"] == 1
    assert component.start == MEETING_START + timedelta(hours=2)

    await calendars.delete_event(cal_id, written.event_id)
    await calendars.delete_event(cal_id, written.event_id)
    assert caldav_calendar.events() == []


async def test_wrong_password_needs_relink_and_down_server_is_transient(radicale, caldav_calendar):
    calendars = await provider(radicale).list_calendars()
    assert str(caldav_calendar.url.canonical()) in {c.id for c in calendars}
    with pytest.raises(NeedsRelink):
        await provider(radicale, password="wrong").list_calendars()
    with pytest.raises(TransientError):
        await provider("http://127.0.0.1:9/").list_calendars()
