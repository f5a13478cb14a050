import smtplib
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar

from meetapp.notifications.email import SmtpSettings, build_meeting_email, send_email
from meetapp.notifications.meeting import MeetingInvite, Person

ANA = Person("Ana Sousa", "ana@example.com")
BEN = Person("Ben Müller", "ben@example.org")
SENDER = "noreply@meetapp.test"
START = datetime(2026, 3, 30, 17, 0, tzinfo=UTC)


def _invite(attendees=(BEN,)) -> MeetingInvite:
    return MeetingInvite(
        uid="meeting-7@meetapp",
        sequence=3,
        status="scheduled",
        title="Café sync ☕",
        description="Agenda: numbers.",
        start=START,
        end=START + timedelta(minutes=30),
        organizer=ANA,
        attendees=attendees,
        join_url="https://meetapp.test/join/7",
        room_url="https://meetapp.test/rooms/1",
        reason=None,
        updated_at=START - timedelta(days=2),
    )


def _settings(controller, **changes) -> SmtpSettings:
    defaults = {"host": "127.0.0.1", "port": controller.port, "sender": SENDER, "timeout": 5}
    return SmtpSettings(**(defaults | changes))


async def test_send_email_delivers_the_invite(smtp_server):
    controller, handler = smtp_server
    message = build_meeting_email(_invite(), BEN, "REQUEST", SENDER, "America/Los_Angeles")

    refused = await send_email(message, _settings(controller))

    assert refused == {}
    (envelope,) = handler.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["ben@example.org"]
    received = message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == (
        "Invitation: Café sync ☕ @ Monday, 30 March 2026, 10:00 \u2013 10:30 PDT"
    )
    calendar_part = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(calendar_part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == "meeting-7@meetapp"
    assert event.sequence == 3
    assert event.start == START
    assert [str(a) for a in event.attendees] == ["mailto:ben@example.org"]


async def test_send_email_logs_in_when_credentials_are_set(smtp_server):
    controller, handler = smtp_server
    message = build_meeting_email(_invite(), BEN, "REQUEST", SENDER, "UTC")

    await send_email(message, _settings(controller, username="meetapp", password="s3cret"))

    assert len(handler.envelopes) == 1


async def test_send_email_wrong_password_raises(smtp_server):
    controller, handler = smtp_server
    message = build_meeting_email(_invite(), BEN, "REQUEST", SENDER, "UTC")

    with pytest.raises(smtplib.SMTPAuthenticationError):
        await send_email(message, _settings(controller, username="meetapp", password="nope"))
    assert handler.envelopes == []


async def test_send_email_reports_a_partly_refused_recipient(smtp_server):
    controller, handler = smtp_server
    message = build_meeting_email(_invite(), BEN, "REQUEST", SENDER, "UTC")
    message["Cc"] = "nobody@example.com"

    refused = await send_email(message, _settings(controller))

    assert set(refused) == {"nobody@example.com"}
    assert refused["nobody@example.com"][0] == 550
    assert handler.envelopes[0].rcpt_tos == ["ben@example.org"]


async def test_send_email_to_a_closed_port_raises_oserror(unused_port):
    message = build_meeting_email(_invite(), BEN, "REQUEST", SENDER, "UTC")
    settings = SmtpSettings("127.0.0.1", unused_port, sender=SENDER, timeout=5)

    # Connection refused (ConnectionRefusedError is an OSError), never a hang.
    with pytest.raises(ConnectionRefusedError):
        await send_email(message, settings)
