"""A Lisbon host links Google and CalDAV calendars; a Los Angeles guest books around them.

Busy events are added to the emulated Google calendar and to Radicale the way someone
else would (through the provider, after linking); the app's cache lifetime is zero in
the browser tests (see conftest), so the picker's own sync brings them in. The meeting
is then written to the Radicale calendar chosen on the page, moved, and deleted; with
Google chosen instead, the next one is written there with a Meet link, and deleted.
"""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import caldav
import icalendar
from playwright.sync_api import Locator, Page, expect

from tests.e2e.calendar_steps import link_oauth
from tests.e2e.people import history, open_browser, sign_up, start_room
from tests.e2e.scheduling import (
    cancel_meeting,
    confirm_time,
    day_label,
    open_picker,
    send_default_invite,
    show_day,
    start_reschedule,
)
from tests.emulators.radicale import CalDavAccount

HOST_ZONE = ZoneInfo("Europe/Lisbon")
GUEST_ZONE = ZoneInfo("America/Los_Angeles")
HOST_EMAIL = "hana.cal@e2e.test"
GOOGLE_CAL = HOST_EMAIL  # Google names a primary calendar after its account
HOLIDAYS_CAL = "pt.portuguese#holiday@group.v.calendar.google.com"
MEETING_TITLE = "Hana Host and Gil Guest"
WRITE_TIMEOUT_SECONDS = 30
DURATION, STEP = timedelta(minutes=30), timedelta(minutes=15)


def _host_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HOST_ZONE)


def _guest_label(moment: datetime) -> str:
    """A start time as the guest's en-US picker shows it, e.g. "3:00 AM"."""
    return moment.astimezone(GUEST_ZONE).strftime("%I:%M %p").lstrip("0")


def _busy_day() -> date:
    """A Tuesday at least five days ahead: past the notice, inside every window."""
    day = datetime.now(HOST_ZONE).date() + timedelta(days=5)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _free_starts(day: date, busy: list[tuple[datetime, datetime]]) -> list[str]:
    """The guest's labels of 30-minute slots in 09:00-17:00 (every 15 min) missing ``busy``."""
    starts = [_host_time(day, 9) + STEP * i for i in range(31)]
    return [
        _guest_label(s)
        for s in starts
        if not any(s < end and s + DURATION > start for start, end in busy)
    ]


def _google_event(event_id: str, title: str, start: datetime, end: datetime) -> dict:
    return {
        "id": event_id,
        "summary": title,
        "start": {"dateTime": start.isoformat(), "timeZone": "Europe/Lisbon"},
        "end": {"dateTime": end.isoformat(), "timeZone": "Europe/Lisbon"},
    }


def _ical(uid: str, title: str, start: date | datetime, end: date | datetime) -> bytes:
    event = icalendar.Event()
    for name, value in [("UID", uid), ("SUMMARY", title), ("DTSTART", start), ("DTEND", end)]:
        event.add(name, value)
    event.add("DTSTAMP", datetime.now(ZoneInfo("UTC")))
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//someone else//EN")
    calendar.add("VERSION", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()


def _meetings_in(calendar: caldav.Calendar) -> list[icalendar.Event]:
    """The meetapp meetings stored in a CalDAV calendar, read through the server."""
    events = []
    for resource in calendar.events():
        events += [
            e
            for e in icalendar.Calendar.from_ical(resource.data).walk("VEVENT")
            if str(e["SUMMARY"]) == MEETING_TITLE
        ]
    return events


def _google_meetings(google) -> list[dict]:
    """The live meetapp meetings in the emulated Google primary calendar."""
    return [
        e
        for e in google.events(GOOGLE_CAL)
        if e.get("summary") == MEETING_TITLE and e.get("status") != "cancelled"
    ]


def _wait_for(read, until, what: str):
    """Poll ``read()`` until ``until(value)`` holds; the outbox worker writes in seconds."""
    deadline = clock.monotonic() + WRITE_TIMEOUT_SECONDS
    while True:
        value = read()
        if until(value):
            return value
        if clock.monotonic() > deadline:
            raise AssertionError(f"{what} not seen within {WRITE_TIMEOUT_SECONDS} s: {value!r}")
        clock.sleep(0.5)


def _link_caldav(page: Page, account: CalDavAccount, screenshot) -> None:
    """Connect CalDAV: a wrong password is refused in place, the right one links."""
    page.get_by_role("button", name="Connect CalDAV").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Server URL").fill(account.url)
    dialog.get_by_label("Username").fill(account.username)
    dialog.get_by_label("Password").fill("not-the-password")
    dialog.get_by_role("button", name="Connect").click()
    expect(dialog.get_by_role("alert")).to_contain_text("refused this username and password")
    screenshot(page, "22-caldav-wrong-password")
    dialog.get_by_label("Password").fill(account.password)
    dialog.get_by_role("button", name="Connect").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("region", name=f"CalDAV account {account.username}")).to_be_visible()


def _choose_calendars_and_settings(page: Page, account: CalDavAccount) -> None:
    """Check the defaults, send meetings to Radicale's Work, ask Google for Meet links."""
    # Google's primary is checked and receives meetings; its read-only holidays are
    # neither and cannot be; every writable calendar is checked.
    expect(_conflicts(page, "Hana Host")).to_be_checked()
    expect(_conflicts(page, "Holidays in Portugal")).not_to_be_checked()
    expect(_receives(page, "Hana Host")).to_be_checked()
    expect(_receives(page, "Holidays in Portugal")).to_be_disabled()
    expect(_conflicts(page, "Work")).to_be_checked()
    _receives(page, "Work").click()
    expect(_receives(page, "Work")).to_be_checked()
    expect(_receives(page, "Hana Host")).not_to_be_checked()
    google_card = page.get_by_role("region", name=f"Google account {HOST_EMAIL}")
    video = google_card.get_by_role("switch", name="Add a video link (Google Meet)")
    expect(video).not_to_be_checked()
    video.click()
    microsoft_card = page.get_by_role("region", name=f"Microsoft account {HOST_EMAIL}")
    expect(microsoft_card.get_by_role("switch", name="Count tentative as busy")).to_be_checked()
    expect(microsoft_card.get_by_role("switch", name="Add a video link (Teams)")).to_be_visible()
    caldav_card = page.get_by_role("region", name=f"CalDAV account {account.username}")
    expect(caldav_card.get_by_role("switch")).to_have_count(0)
    # The choices were saved, not just drawn.
    page.reload()
    expect(_receives(page, "Work")).to_be_checked()
    expect(video).to_be_checked()


def _frames_received(page: Page) -> list[str]:
    """Collect every websocket message the page receives from now on (its state updates)."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    return frames


def _conflicts(page: Page, calendar: str) -> Locator:
    return page.get_by_role("checkbox", name=f"Check {calendar} for conflicts")


def _receives(page: Page, calendar: str) -> Locator:
    return page.get_by_role("radio", name=f"Add new meetings to {calendar}")


def test_linked_calendars_hide_busy_times_and_receive_the_meeting(
    browser, app_url, emulators, caldav_account, screenshot
):
    google, microsoft = emulators.google, emulators.microsoft
    google.oauth.login_email = microsoft.oauth.login_email = HOST_EMAIL
    google.add_calendar(GOOGLE_CAL, "Hana Host", primary=True, timeZone="Europe/Lisbon")
    google.add_calendar(HOLIDAYS_CAL, "Holidays in Portugal", accessRole="reader")
    microsoft.add_calendar("AAMkAGI2-hana", "Calendar", is_default=True)
    work = caldav_account.client().principal().make_calendar(name="Work", cal_id="work")

    host_ctx = open_browser(browser, "Europe/Lisbon", "en-GB")
    guest_ctx = open_browser(browser, "America/Los_Angeles", "en-US")
    host, guest = host_ctx.new_page(), guest_ctx.new_page()
    host_frames = _frames_received(host)
    sign_up(host, app_url, "Hana Host", HOST_EMAIL)
    sign_up(guest, app_url, "Gil Guest", "gil.cal@e2e.test")
    start_room(host, "gil.cal@e2e.test")
    guest.get_by_role("link", name="Hana Host").click()

    # Without calendars the wizard starts with the Calendar step: connect buttons for the
    # configured providers, and "Manage calendars", which closes the wizard on the way.
    host.get_by_role("button", name="Schedule a meeting").click()
    wizard = host.get_by_role("dialog")
    expect(wizard.get_by_role("heading", name="Connect your calendar")).to_be_visible()
    expect(wizard.get_by_role("link", name="Connect Google")).to_be_visible()
    screenshot(host, "19-wizard-calendar-step")
    wizard.get_by_role("link", name="Manage calendars").click()
    expect(host.get_by_role("heading", name="Manage calendars")).to_be_visible()
    expect(wizard).to_be_hidden()
    expect(host.get_by_text("No calendar linked yet")).to_be_visible()
    screenshot(host, "20-calendars-empty")

    link_oauth(host, "Google", HOST_EMAIL)
    link_oauth(host, "Microsoft", HOST_EMAIL)
    screenshot(host, "21-calendars-oauth-linked")

    _link_caldav(host, caldav_account, screenshot)
    _choose_calendars_and_settings(host, caldav_account)
    screenshot(host, "23-calendars-configured")
    # Nothing secret reached the browser: no token, no password, in any state update.
    secrets = [caldav_account.password]
    for emulator in (google, microsoft):
        secrets += [*emulator.access_tokens, *emulator.refresh_tokens]
    assert any(HOST_EMAIL in frame for frame in host_frames)
    assert [s for s in secrets if any(s in frame for frame in host_frames)] == []
    host.set_viewport_size({"width": 390, "height": 844})
    screenshot(host, "24-calendars-phone")
    host.set_viewport_size({"width": 1280, "height": 800})

    # Someone else fills the calendars after they were linked.
    day = _busy_day()
    next_day = day + timedelta(days=1)
    dentist = (_host_time(day, 10), _host_time(day, 11))
    review = (_host_time(day, 14), _host_time(day, 15))
    google.add_event(GOOGLE_CAL, _google_event("dentist2026", "Dentist", *dentist))
    holiday = {"id": "feriado2026", "summary": "Feriado", "start": {"date": day.isoformat()}}
    google.add_event(HOLIDAYS_CAL, holiday | {"end": {"date": next_day.isoformat()}})
    work.add_event(_ical("review@someone.else", "Design review", *review))
    work.add_event(_ical("offsite@someone.else", "Team offsite", next_day, next_day + timedelta(1)))

    host.get_by_role("link", name="Back to rooms").click()
    host.get_by_role("link", name="Gil Guest").click()
    send_default_invite(host)

    # The guest sees both calendars' busy times gone, the neighbours still offered,
    # the unchecked holiday calendar ignored and the all-day offsite blocking its date.
    picker = open_picker(guest)
    offered = show_day(picker, day)
    assert offered == _free_starts(day, [dentist, review])
    assert _guest_label(_host_time(day, 9, 30)) in offered
    assert _guest_label(_host_time(day, 11)) in offered
    expect(picker.get_by_role("button", name=day_label(next_day))).to_be_disabled()
    screenshot(guest, "25-picker-around-busy-times")

    booked = _host_time(day, 11)
    confirm_time(picker, _guest_label(booked))
    expect(picker).to_be_hidden(timeout=5000)

    # The meeting lands in Radicale's Work calendar, not in Google.
    (event,) = _wait_for(lambda: _meetings_in(work), lambda found: len(found) == 1, "meeting")
    assert event.decoded("DTSTART") == booked
    assert event.decoded("DTEND") == booked + DURATION
    uid = str(event["UID"])
    assert [e["summary"] for e in google.events(GOOGLE_CAL)] == ["Dentist"]

    # Moving it 15 minutes later overlaps its old time, which neither the meeting nor its
    # copy synced back from Radicale may block; the same event (same UID) moves.
    picker = start_reschedule(guest, "Running late")
    moved = booked + STEP
    assert _guest_label(moved) in show_day(picker, day)
    confirm_time(picker, _guest_label(moved))
    (event,) = _wait_for(
        lambda: _meetings_in(work),
        lambda found: len(found) == 1 and found[0].decoded("DTSTART") == moved,
        "moved meeting",
    )
    assert str(event["UID"]) == uid
    assert event.decoded("DTEND") == moved + DURATION
    screenshot(guest, "26-rescheduled")

    # Cancelling deletes it.
    cancel_meeting(host, "Project paused")
    _wait_for(lambda: _meetings_in(work), lambda found: found == [], "deleted meeting")
    screenshot(host, "27-cancelled")

    # Sent to Google instead, the next meeting lands in the emulator with a Meet link,
    # which becomes the card's Join link; cancelling deletes it there.
    host.goto(f"{app_url}/calendars")
    _receives(host, "Hana Host").click()
    expect(_receives(host, "Hana Host")).to_be_checked()
    host.get_by_role("link", name="Back to rooms").click()
    host.get_by_role("link", name="Gil Guest").click()
    send_default_invite(host)
    picker = open_picker(guest)
    assert _guest_label(booked) in show_day(picker, day)
    confirm_time(picker, _guest_label(booked))
    expect(picker).to_be_hidden(timeout=5000)
    (written,) = _wait_for(
        lambda: _google_meetings(google),
        lambda found: len(found) == 1 and "hangoutLink" in found[0],
        "meeting in Google",
    )
    assert datetime.fromisoformat(written["start"]["dateTime"]) == booked
    assert [a["email"] for a in written["attendees"]] == ["gil.cal@e2e.test"]  # the host owns it
    expect(history(guest).get_by_role("link", name="Join meeting")).to_have_attribute(
        "href", written["hangoutLink"]
    )
    assert _meetings_in(work) == []
    cancel_meeting(guest, "")
    _wait_for(lambda: _google_meetings(google), lambda found: found == [], "deleted in Google")

    # Disconnecting asks first, then forgets the account.
    host.goto(f"{app_url}/calendars")
    microsoft_card = host.get_by_role("region", name=f"Microsoft account {HOST_EMAIL}")
    microsoft_card.get_by_role("button", name="Disconnect").click()
    confirm = host.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"{HOST_EMAIL} will no longer be checked for conflicts")
    screenshot(host, "28-disconnect-confirm")
    confirm.get_by_role("button", name="Disconnect").click()
    expect(host.get_by_role("status")).to_have_text("Calendar disconnected.")
    expect(microsoft_card).to_be_hidden()
    expect(_receives(host, "Hana Host")).to_be_checked()
    host_ctx.close()
    guest_ctx.close()
