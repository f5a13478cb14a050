from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from meetapp.notifications.ics import build_ics


def _parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def test_calendar_headers(invite):
    calendar, _ = _parse(build_ics(invite, "REQUEST"))
    assert str(calendar["PRODID"]) == "-//meetapp//meetapp//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "REQUEST"


def test_default_method_is_publish(invite):
    calendar, _ = _parse(build_ics(invite))
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_event_core_properties(invite):
    _, event = _parse(build_ics(invite))
    assert str(event["UID"]) == "meeting-42@meetapp"
    assert event.sequence == 0
    assert event.stamp == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Café sync ☕"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "https://meetapp.test/join/42"
    assert str(event["URL"]) == "https://meetapp.test/join/42"
    assert "Join: https://meetapp.test/join/42" in str(event["DESCRIPTION"])
    assert "Bring numbers." in str(event["DESCRIPTION"])


def test_times_are_utc_even_for_non_utc_input(make_invite):
    from zoneinfo import ZoneInfo

    kolkata = ZoneInfo("Asia/Kolkata")
    start = datetime(2026, 3, 3, 20, 30, tzinfo=kolkata)
    data = build_ics(make_invite(start=start, end=start + timedelta(minutes=30)))
    assert b"DTSTART:20260303T150000Z\r\n" in data
    assert b"DTEND:20260303T153000Z\r\n" in data
    _, event = _parse(data)
    assert event.start == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    assert event.start.utcoffset() == timedelta(0)


def test_organizer_and_attendees(make_invite, ana, ben):
    from meetapp.notifications.meeting import Person

    cleo = Person("Cleo O'Neil, PhD", "cleo@example.net")
    _, event = _parse(build_ics(make_invite(attendees=(ben, cleo))))
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:ana@example.com"
    assert organizer.params["CN"] == ana.name
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:ben@example.org", "mailto:cleo@example.net"]
    assert [a.params["CN"] for a in attendees] == [ben.name, cleo.name]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"


def test_single_attendee_round_trips(invite):
    _, event = _parse(build_ics(invite))
    assert [str(a) for a in event.attendees] == ["mailto:ben@example.org"]


def test_alarm_ten_minutes_before(invite):
    _, event = _parse(build_ics(invite))
    (alarm,) = event.subcomponents
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-10)
    assert "Café sync" in str(alarm["DESCRIPTION"])


def test_cancel_method_marks_event_cancelled(make_invite):
    cancelled = make_invite(status="cancelled", sequence=2, reason="Clash")
    calendar, event = _parse(build_ics(cancelled, "CANCEL"))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.sequence == 2
    assert str(event["UID"]) == "meeting-42@meetapp"
    assert event.subcomponents == []


def test_reschedule_keeps_uid_and_raises_sequence(invite, make_invite):
    moved = make_invite(
        status="rescheduled",
        sequence=1,
        start=invite.start + timedelta(days=1),
        end=invite.end + timedelta(days=1),
        updated_at=invite.updated_at + timedelta(hours=1),
    )
    _, before = _parse(build_ics(invite, "REQUEST"))
    _, after = _parse(build_ics(moved, "REQUEST"))
    assert str(after["UID"]) == str(before["UID"])
    assert after.sequence == before.sequence + 1
    assert after.stamp > before.stamp
    assert str(after["STATUS"]) == "CONFIRMED"


def test_output_is_deterministic(invite, make_invite):
    assert build_ics(invite) == build_ics(invite)
    assert build_ics(invite, "REQUEST") == build_ics(make_invite(), "REQUEST")


def test_output_uses_crlf_line_ends(invite):
    data = build_ics(invite)
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_multiline_description_is_escaped_not_injected(make_invite):
    data = build_ics(make_invite(description="hi\r\nATTENDEE:mailto:evil@example.com"))
    _, event = _parse(data)
    assert [str(a) for a in event.attendees] == ["mailto:ben@example.org"]
    assert "ATTENDEE:mailto:evil@example.com" in str(event["DESCRIPTION"])


def test_title_with_line_break_is_rejected_before_rendering(make_invite):
    with pytest.raises(ValueError, match="line breaks"):
        build_ics(make_invite(title="Sync\r\nATTENDEE:mailto:evil@example.com"))


def test_unknown_method_is_rejected(invite):
    with pytest.raises(ValueError, match="method"):
        build_ics(invite, "REPLY")
