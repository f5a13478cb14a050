"""A booking's Meet / Teams link, from the host's calendar to the card, .ics, links and emails.

The whole path runs for real: OAuth link at the emulator, booking, the outbox worker
writing the event, and the services that render the meeting afterwards.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from urllib.parse import unquote

from icalendar import Calendar
from sqlmodel import select

import meetapp.services.calendar_writes
import meetapp.services.meeting_emails  # noqa: F401  (register the handlers the worker runs)
from meetapp.db import open_session
from meetapp.models import (
    CalendarConnection,
    ExternalEventLink,
    Meeting,
    OutboxJob,
)
from meetapp.realtime.changes import room_topic
from meetapp.services import booking
from meetapp.services.meetings import meeting_ics, reschedule
from meetapp.services.outbox import CALENDAR_UPSERT
from tests.integration.booking.conftest import at
from tests.integration.calendar_service.conftest import (
    BOB_ZONE,
    GOOGLE_CAL,
    MS_CAL,
    NOW,
    book,
    link_oauth,
    live,
    run_outbox,
)

MEET_LINK = re.compile(r"https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}")
TEAMS_PREFIX = "https://teams.microsoft.com/l/meetup-join/"


def set_want_conference(engine, wanted: bool) -> None:
    """The host's "add a video meeting" choice on their linked account."""
    with open_session(engine) as db:
        connection = db.exec(select(CalendarConnection)).one()
        connection.want_conference = wanted
        db.add(connection)


def redeliver_the_calendar_write(engine) -> None:
    """Run the create again, as after a worker died between writing and remembering it."""
    with open_session(engine) as db:
        db.delete(db.exec(select(ExternalEventLink)).one())
        job = db.exec(select(OutboxJob).where(OutboxJob.kind == CALENDAR_UPSERT)).one()
        job.done_at, job.next_attempt_at = None, datetime.now(UTC)
        db.add(job)


def stored(engine, meeting: Meeting) -> Meeting:
    with open_session(engine) as db:
        return db.get(Meeting, meeting.id)


async def test_meet_link_is_stored_and_becomes_the_join_link_everywhere(
    browser, http, google, engine, user, bob, mailbox, published
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    set_want_conference(engine, True)
    meeting = book(engine, user, bob)
    published.clear()

    await run_outbox(engine)

    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["conferenceData"]["createRequest"]["requestId"] == meeting.uid
    link = event["hangoutLink"]
    assert MEET_LINK.fullmatch(link)
    assert stored(engine, meeting).conference_url == link
    assert any(room_topic(meeting.room_id) in batch for batch in published)
    with open_session(engine) as db:
        card = booking.meeting_view(db, meeting.id, bob.id, BOB_ZONE, "12", NOW)
        ics = Calendar.from_ical(meeting_ics(db, meeting.id, bob.id))
    assert card.join_url == link
    assert f"Join: {link}" in unquote(card.google_url)
    assert f"Join: {link}" in unquote(card.outlook_url)
    (vevent,) = ics.walk("VEVENT")
    assert (str(vevent["URL"]), str(vevent["LOCATION"])) == (link, link)
    assert f"Join: {link}" in str(vevent["DESCRIPTION"])
    # The emails are built when sent, after the event was written (they queue behind it).
    assert sorted(e.rcpt_tos[0] for e in mailbox.envelopes) == [user.email, bob.email]
    for envelope in mailbox.envelopes:
        email = message_from_bytes(envelope.content, policy=policy.default)
        assert f"Join: {link}" in email.get_body(("plain",)).get_content()


async def test_teams_link_is_stored(browser, http, microsoft, engine, user, bob):
    emulator, _ = microsoft
    await link_oauth(browser, http, "microsoft")
    set_want_conference(engine, True)
    meeting = book(engine, user, bob)

    await run_outbox(engine)

    (event,) = emulator.events(MS_CAL)
    assert (event["isOnlineMeeting"], event["onlineMeetingProvider"]) == (True, "teamsForBusiness")
    link = event["onlineMeeting"]["joinUrl"]
    assert link.startswith(TEAMS_PREFIX)
    assert stored(engine, meeting).conference_url == link
    with open_session(engine) as db:
        assert booking.meeting_view(db, meeting.id, bob.id, BOB_ZONE, "24", NOW).join_url == link

    redeliver_the_calendar_write(engine)
    await run_outbox(engine)

    assert [e["onlineMeeting"]["joinUrl"] for e in emulator.events(MS_CAL)] == [link]
    assert stored(engine, meeting).conference_url == link


async def test_without_want_conference_the_built_in_link_is_used(
    browser, http, google, microsoft, engine, user, bob
):
    await link_oauth(browser, http, "google")
    meeting = book(engine, user, bob)

    await run_outbox(engine)

    (event,) = live(google[0].events(GOOGLE_CAL))
    assert "conferenceData" not in event
    assert "hangoutLink" not in event
    built_in = f"http://app.test/meet/{meeting.join_token}"
    assert event["location"] == built_in
    assert stored(engine, meeting).conference_url is None
    with open_session(engine) as db:
        assert booking.meeting_view(db, meeting.id, bob.id, BOB_ZONE, "24", NOW).join_url == (
            built_in
        )


async def test_reschedule_keeps_the_conference_link(browser, http, google, engine, user, bob):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    set_want_conference(engine, True)
    meeting = book(engine, user, bob)
    await run_outbox(engine)
    link = stored(engine, meeting).conference_url

    reschedule(meeting.id, bob, at("2026-03-04T10:00"), "Clash", NOW, engine)
    await run_outbox(engine)

    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["start"]["dateTime"] == "2026-03-04T10:00:00Z"
    assert event["hangoutLink"] == link
    assert f"Join: {link}" in event["description"]
    assert stored(engine, meeting).conference_url == link


async def test_a_retried_create_makes_one_event_and_one_conference(
    browser, http, google, engine, user, bob
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    set_want_conference(engine, True)
    meeting = book(engine, user, bob)
    await run_outbox(engine)
    link = stored(engine, meeting).conference_url

    redeliver_the_calendar_write(engine)
    await run_outbox(engine)

    (event,) = live(emulator.events(GOOGLE_CAL))
    assert event["hangoutLink"] == link
    assert stored(engine, meeting).conference_url == link
    with open_session(engine) as db:
        assert len(db.exec(select(ExternalEventLink)).all()) == 1
