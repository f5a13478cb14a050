from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar

from meetapp.notifications.email import SmtpSettings, build_meeting_email
from meetapp.notifications.ics import build_ics

SENDER = "noreply@meetapp.test"


def _build(invite, recipient, method="REQUEST", zone="Europe/Lisbon"):
    message = build_meeting_email(invite, recipient, method, SENDER, zone)
    # Round-trip through bytes: what a mail server would actually receive.
    return message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)


def _parts(message):
    return {part.get_content_type(): part for part in message.walk()}


def test_structure(invite, ben):
    message = _build(invite, ben)
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar_part = list(alternative.iter_parts())[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"


def test_calendar_part_and_attachment_carry_the_ics(invite, ben):
    parts = _parts(_build(invite, ben))
    expected = build_ics(invite, "REQUEST")
    assert parts["text/calendar"].get_payload(decode=True) == expected
    assert parts["application/ics"].get_content() == expected
    event = Calendar.from_ical(parts["text/calendar"].get_content()).events[0]
    assert str(event["UID"]) == "meeting-42@meetapp"


def test_headers(invite, ben):
    message = _build(invite, ben)
    assert (
        message["Subject"]
        == "Invitation: Café sync ☕ @ Tuesday, 3 March 2026, 15:00 \u2013 15:30 WET"
    )
    assert message["To"].addresses[0].display_name == "Ben Müller"
    assert message["To"].addresses[0].addr_spec == "ben@example.org"
    assert message["From"].addresses[0].addr_spec == SENDER
    assert message["Reply-To"].addresses[0].addr_spec == "ana@example.com"
    assert message["Date"].datetime == invite.updated_at
    assert message["Message-ID"].endswith("@meetapp.test>")


def test_bodies_for_a_new_meeting(invite, ben):
    parts = _parts(_build(invite, ben))
    text, html = parts["text/plain"].get_content(), parts["text/html"].get_content()
    for body in (text, html):
        assert "Ana Sousa scheduled a meeting with you" in body
        assert "Tuesday, 3 March 2026, 15:00 \u2013 15:30 WET" in body
        assert "https://meetapp.test/join/42" in body
        assert "calendar.google.com" in body
        assert "outlook.live.com" in body
        assert "Reason" not in body
    assert '<a href="https://meetapp.test/join/42">' in html


def test_html_escapes_user_text(make_invite, ben):
    invite = make_invite(title="<script>x</script>", description="a < b & c")
    html = _parts(_build(invite, ben))["text/html"].get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "a &lt; b &amp; c" in html


def test_reschedule_wording(invite, make_invite, ana, ben):
    moved = make_invite(
        status="rescheduled",
        sequence=1,
        start=invite.start + timedelta(days=1),
        end=invite.end + timedelta(days=1),
        reason="Dentist",
        changed_by=ben,
    )
    message = _build(moved, ana)
    assert message["Subject"].startswith("Updated invitation: Café sync ☕ @ Wednesday, 4 March")
    assert message["From"].addresses[0].display_name == "Ben Müller via meetapp"
    text = _parts(message)["text/plain"].get_content()
    assert "Ben Müller moved the meeting to Wednesday, 4 March 2026, 15:00 \u2013 15:30 WET" in text
    assert "Reason: Dentist" in text


def test_cancel_wording_and_calendar(make_invite, ben):
    cancelled = make_invite(status="cancelled", sequence=2, reason="Not needed")
    message = _build(cancelled, ben, method="CANCEL")
    assert message["Subject"].startswith("Cancelled: Café sync ☕ @ ")
    parts = _parts(message)
    assert "Ana Sousa cancelled the meeting" in parts["text/plain"].get_content()
    assert "Reason: Not needed" in parts["text/html"].get_content()
    assert parts["text/calendar"].get_param("method") == "CANCEL"
    event = Calendar.from_ical(parts["application/ics"].get_content()).events[0]
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("start", "zone", "expected"),
    [
        # Los Angeles moves to PDT on 2026-03-08: 17:00 UTC is 09:00 before, 10:00 after.
        (
            datetime(2026, 3, 6, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            "Friday, 6 March 2026, 09:00 \u2013 09:30 PST",
        ),
        (
            datetime(2026, 3, 9, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            "Monday, 9 March 2026, 10:00 \u2013 10:30 PDT",
        ),
        # Lisbon moves to WEST on 2026-03-29; between the two dates the gap is 7 h, not 8.
        (
            datetime(2026, 3, 9, 17, 0, tzinfo=UTC),
            "Europe/Lisbon",
            "Monday, 9 March 2026, 17:00 \u2013 17:30 WET",
        ),
        (
            datetime(2026, 3, 30, 17, 0, tzinfo=UTC),
            "Europe/Lisbon",
            "Monday, 30 March 2026, 18:00 \u2013 18:30 WEST",
        ),
        (
            datetime(2026, 3, 30, 17, 0, tzinfo=UTC),
            "America/Los_Angeles",
            "Monday, 30 March 2026, 10:00 \u2013 10:30 PDT",
        ),
    ],
)
def test_time_is_shown_in_the_recipients_zone_across_dst(make_invite, ben, start, zone, expected):
    message = _build(make_invite(start=start, end=start + timedelta(minutes=30)), ben, zone=zone)
    assert message["Subject"].endswith(expected)
    assert expected in _parts(message)["text/plain"].get_content()


def test_sender_with_line_break_is_rejected(invite, ben):
    with pytest.raises(ValueError, match="line breaks"):
        build_meeting_email(invite, ben, "REQUEST", "a@b.c\r\nBcc: x@y.z", "UTC")


def test_unknown_method_is_rejected(invite, ben):
    with pytest.raises(ValueError, match="method"):
        build_meeting_email(invite, ben, "REFRESH", SENDER, "UTC")


def test_smtp_settings_hide_password_from_repr():
    settings = SmtpSettings("smtp.test", 587, "user", "s3cret", starttls=True)
    assert "s3cret" not in repr(settings)
