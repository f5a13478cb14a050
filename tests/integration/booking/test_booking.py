from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from meetapp.display import render_system_body
from meetapp.models import ExternalBusy, Meeting, Message, MessageKind, OutboxJob, Proposal
from meetapp.services import booking, outbox, rooms
from meetapp.services.availability import saved_rules
from meetapp.services.errors import Conflict, Forbidden, InvalidInput, NotFound

from .conftest import NOW, at

LA = "America/Los_Angeles"


def _starts(days) -> list[str]:
    return [t.start for day in days for t in day.times]


def _jobs(session, kind=None):
    query = select(OutboxJob).order_by(col(OutboxJob.id))
    if kind:
        query = query.where(OutboxJob.kind == kind)
    return list(session.exec(query))


def test_sharing_posts_an_invite_card_and_saves_the_default(world, session):
    invite = world.share(note="  Quarterly review  ", duration_minutes=45)
    assert invite.rules["duration_minutes"] == 45
    assert invite.note == "Quarterly review"
    card = session.exec(select(Message).where(Message.kind == MessageKind.INVITE)).one()
    assert (card.room_id, card.ref_id, card.author_id) == (world.room.id, invite.id, world.ana.id)
    view = booking.invite_view(session, invite.id, world.ben.id)
    assert (view.host_name, view.duration_minutes, view.is_host) == ("Ana", 45, False)
    assert view.booked_meeting_id is None
    assert booking.invite_view(session, invite.id, world.ana.id).is_host
    saved = saved_rules(session, world.ana.id, "UTC")
    assert (saved.timezone, saved.duration_minutes, saved.note) == ("Europe/Lisbon", 45, "")
    assert saved_rules(session, world.ben.id, "Asia/Tokyo").timezone == "Asia/Tokyo"


def test_sharing_refuses_invalid_rules_and_non_members(world, session):
    with pytest.raises(InvalidInput) as error:
        world.share(duration_minutes=20)
    assert error.value.field == "duration_minutes"
    with pytest.raises(NotFound):
        world.share_in(world.other_room.__class__(id=99999))


def test_offered_slots_skip_calendar_busy_and_meetings_in_other_rooms(world, session):
    invite = world.share()
    side = world.share_in(world.other_room)
    booking.book(side.id, world.cleo, at("2026-03-03T14:00"), NOW, world.engine)
    session.add(
        ExternalBusy(
            user_id=world.ana.id,
            calendar_ref="1:primary",
            event_id="dentist",
            start=at("2026-03-03T10:00"),
            end=at("2026-03-03T11:00"),
        )
    )
    session.commit()
    days = booking.offered_slots(session, invite.id, world.ben.id, "Europe/Lisbon", NOW)
    tuesday = next(d for d in days if d.date == "2026-03-03")
    labels = [t.label for t in tuesday.times]
    assert "09:30" in labels
    assert "11:00" in labels
    assert "14:30" in labels
    assert not {"10:00", "10:30", "14:00"} & set(labels)
    # Monday: the 4 h notice from 08:00 leaves 12:00 onwards.
    assert days[0].date == "2026-03-02"
    assert days[0].times[0].label == "12:00"
    # The same instants, grouped and labelled in the viewer's zone.
    la_days = booking.offered_slots(session, invite.id, world.ben.id, LA, NOW)
    assert _starts(la_days) == _starts(days)
    assert la_days[0].date == "2026-03-02"
    assert la_days[0].times[0].label == "04:00"


def test_the_host_cannot_book_their_own_invite(world):
    invite = world.share()
    with pytest.raises(Forbidden, match="your own invitation"):
        booking.book(invite.id, world.ana, at("2026-03-03T10:00"), NOW, world.engine)


def test_non_members_get_not_found_everywhere(world, session):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T10:00"), NOW, world.engine)
    other = world.share()
    proposal = booking.propose_times(
        other.id, world.ben, [at("2026-03-07T10:00")], NOW, world.engine
    )
    eve, e = world.eve, world.engine
    calls = [
        lambda: booking.invite_view(session, invite.id, eve.id),
        lambda: booking.offered_slots(session, invite.id, eve.id, "UTC", NOW),
        lambda: booking.book(other.id, eve, at("2026-03-03T12:00"), NOW, e),
        lambda: booking.meeting_view(session, meeting.id, eve.id, "UTC", "24", NOW),
        lambda: booking.meeting_ics(session, meeting.id, eve.id),
        lambda: booking.reschedule(meeting.id, eve, at("2026-03-03T12:00"), "", NOW, e),
        lambda: booking.cancel(meeting.id, eve, "", NOW, e),
        lambda: booking.reschedule_slots(session, meeting.id, eve.id, "UTC", NOW),
        lambda: booking.propose_times(other.id, eve, [at("2026-03-07T10:00")], NOW, e),
        lambda: booking.proposal_view(session, proposal.id, eve.id, "UTC", "24", NOW),
        lambda: booking.accept_proposal(proposal.id, eve, at("2026-03-07T10:00"), NOW, e),
        lambda: booking.decline_proposal(proposal.id, eve, "", NOW, e),
        lambda: booking.invite_view(session, 99999, world.ben.id),
        lambda: booking.meeting_view(session, 99999, world.ben.id, "UTC", "24", NOW),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()


@pytest.mark.parametrize(
    ("start", "error"),
    [
        ("2026-03-02T07:00", InvalidInput),  # in the past
        ("2026-03-02T10:00", InvalidInput),  # inside the minimum notice
        ("2026-03-09T10:00", InvalidInput),  # beyond the 5-day horizon
        ("2026-03-03T10:15", InvalidInput),  # not on the 30-minute grid
        ("2026-03-03T18:00", InvalidInput),  # outside the hours
        ("2026-03-07T10:00", InvalidInput),  # a Saturday
        ("2026-03-03T10:00", Conflict),  # busy in the host's calendar
        ("2026-03-03T10:30", Conflict),  # buffer after the busy time
    ],
)
def test_crafted_starts_are_refused(world, session, start, error):
    invite = world.share(horizon_days=5, buffer_before_minutes=15)
    session.add(
        ExternalBusy(
            user_id=world.ana.id,
            calendar_ref="1:primary",
            event_id="busy",
            start=at("2026-03-03T10:00"),
            end=at("2026-03-03T10:30"),
        )
    )
    session.commit()
    with pytest.raises(error) as raised:
        booking.book(invite.id, world.ben, at(start), NOW, world.engine)
    if error is InvalidInput:
        assert raised.value.field == "start"
    else:
        assert str(raised.value) == "That time was just taken, please pick another"
    assert session.exec(select(Meeting)).all() == []


def test_naive_and_sub_second_starts_and_unknown_zones_are_refused(world, session):
    invite = world.share()
    with pytest.raises(InvalidInput, match="time zone"):
        booking.book(invite.id, world.ben, at("2026-03-03T10:00").replace(tzinfo=None), NOW)
    with pytest.raises(InvalidInput):
        booking.book(
            invite.id,
            world.ben,
            at("2026-03-03T10:00") + timedelta(microseconds=5),
            NOW,
            world.engine,
        )
    with pytest.raises(InvalidInput) as error:
        booking.offered_slots(session, invite.id, world.ben.id, "Mars/Olympus", NOW)
    assert error.value.field == "timezone"


def test_the_daily_limit_counts_meetings_from_every_invite(world):
    first, second = world.share(daily_limit=1), world.share(daily_limit=1)
    booking.book(first.id, world.ben, at("2026-03-03T09:00"), NOW, world.engine)
    with pytest.raises(Conflict):
        booking.book(second.id, world.cleo, at("2026-03-03T15:00"), NOW, world.engine)
    booking.book(second.id, world.cleo, at("2026-03-04T15:00"), NOW, world.engine)


def test_booking_turns_the_card_posts_a_notice_and_enqueues_jobs(world, session):
    invite = world.share(note="Roadmap")
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    assert meeting.uid.startswith("meeting-")
    assert meeting.uid.endswith("@meetapp")
    assert (meeting.status, meeting.sequence, meeting.end) == (
        "scheduled",
        0,
        at("2026-03-03T15:30"),
    )

    history = rooms.messages(session, world.room.id, world.ben.id)
    cards = [m for m in history if m.kind in (MessageKind.INVITE, MessageKind.MEETING)]
    assert [(c.kind, c.ref_id) for c in cards] == [(MessageKind.MEETING, meeting.id)]
    notice = history[-1]
    assert notice.kind == MessageKind.SYSTEM
    assert notice.event_at == meeting.start
    assert render_system_body(notice.body, notice.event_at, LA, "24") == (
        "Ben scheduled a meeting with Ana for Tue 3 Mar, 07:00 (your time)"
    )
    assert render_system_body(notice.body, notice.event_at, "Europe/Lisbon", "12").endswith(
        "Tue 3 Mar, 3:00 PM (your time)"
    )
    assert booking.invite_view(session, invite.id, world.ben.id).booked_meeting_id == meeting.id
    assert booking.offered_slots(session, invite.id, world.cleo.id, "UTC", NOW) == []
    with pytest.raises(Conflict):
        booking.book(invite.id, world.cleo, at("2026-03-04T15:00"), NOW, world.engine)

    (upsert,) = _jobs(session, outbox.CALENDAR_UPSERT)
    assert upsert.ordering_key == f"meeting:{meeting.uid}"
    assert upsert.payload | {"description": ""} == {
        "host_id": world.ana.id,
        "meeting_id": meeting.id,
        "meeting_uid": meeting.uid,
        "title": "Ana and Ben",
        "description": "",
        "start": "2026-03-03T15:00:00Z",
        "end": "2026-03-03T15:30:00Z",
        "attendee_emails": ["ben@x.io"],
        "join_url": f"http://localhost:3000/meet/{meeting.join_token}",
        "sequence": 0,
    }
    assert "Roadmap" in upsert.payload["description"]
    emails = _jobs(session, outbox.EMAIL_MEETING)
    assert sorted((j.payload["recipient_user_id"], j.payload["method"]) for j in emails) == [
        (world.ana.id, "REQUEST"),
        (world.ben.id, "REQUEST"),
    ]


def test_meeting_view_in_the_viewers_zone_and_clock(world, session):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    view = booking.meeting_view(session, meeting.id, world.ben.id, LA, "12", NOW)
    assert (view.weekday_date, view.time_range) == (
        "Tuesday, 3 March",
        "7:00 AM \u2013 7:30 AM PST",
    )
    assert (view.status, view.duration_minutes, view.host_name) == ("scheduled", 30, "Ana")
    assert view.participants == ("Ana", "Ben")
    assert view.join_url.endswith(f"/meet/{meeting.join_token}")
    assert view.google_url.startswith("https://calendar.google.com/")
    assert view.outlook_url.startswith("https://outlook.live.com/")
    assert view.ics_url.endswith(f"/api/meetings/{meeting.id}.ics")
    assert view.can_change
    # Cleo is in the room but not in the meeting; after the start nobody may change it.
    assert not booking.meeting_view(session, meeting.id, world.cleo.id, "UTC", "24", NOW).can_change
    later = at("2026-03-03T15:05")
    assert not booking.meeting_view(session, meeting.id, world.ben.id, LA, "24", later).can_change
    with pytest.raises(Forbidden):
        booking.cancel(meeting.id, world.cleo, "", NOW, world.engine)


def test_reschedule_frees_the_old_slot_and_bumps_the_sequence(world, session):
    invite = world.share(buffer_after_minutes=30)
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    first_ics = Calendar.from_ical(booking.meeting_ics(session, meeting.id, world.ben.id))
    # 15:30 only fits because the meeting's own 15:00 slot counts as free.
    picker = booking.reschedule_slots(session, meeting.id, world.ben.id, "UTC", NOW)
    assert "2026-03-03T15:30:00Z" in _starts(picker)
    assert _starts(picker) == _starts(
        booking.offered_slots(session, invite.id, world.ben.id, "UTC", NOW, meeting.id)
    )
    moved = booking.reschedule(
        meeting.id, world.ben, at("2026-03-03T15:30"), "Clash", NOW, world.engine
    )
    assert (moved.status, moved.sequence, moved.reason) == ("rescheduled", 1, "Clash")
    assert (moved.start, moved.end) == (at("2026-03-03T15:30"), at("2026-03-03T16:00"))
    session.rollback()  # forget what this reader saw before the change
    second_ics = Calendar.from_ical(booking.meeting_ics(session, meeting.id, world.ben.id))
    (before,), (after,) = first_ics.walk("VEVENT"), second_ics.walk("VEVENT")
    assert str(before["UID"]) == str(after["UID"]) == meeting.uid
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert after.decoded("DTSTART") == at("2026-03-03T15:30")
    # The old 15:00 is bookable again by someone else (the 30-minute buffer blocks 14:30).
    other = world.share(buffer_after_minutes=0)
    session.rollback()
    slots = _starts(booking.offered_slots(session, other.id, world.cleo.id, "UTC", NOW))
    assert "2026-03-03T15:00:00Z" in slots
    assert "2026-03-03T15:30:00Z" not in slots
    notice = [
        m for m in rooms.messages(session, world.room.id, world.ana.id) if m.kind == "system"
    ][-1]
    assert render_system_body(notice.body, notice.event_at, "UTC", "24") == (
        "Ben rescheduled the meeting to Tue 3 Mar, 15:30 (your time). Reason: Clash"
    )
    assert [j.payload["sequence"] for j in _jobs(session, outbox.CALENDAR_UPSERT)] == [0, 1]
    with pytest.raises(InvalidInput):
        booking.reschedule(meeting.id, world.ana, at("2026-03-03T15:40"), "", NOW, world.engine)


def test_cancel_stores_the_reason_and_enqueues_a_delete(world, session):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    cancelled = booking.cancel(meeting.id, world.ana, " Sick ", NOW, world.engine)
    assert (cancelled.status, cancelled.sequence, cancelled.reason) == ("cancelled", 1, "Sick")
    session.rollback()
    (delete_job,) = _jobs(session, outbox.CALENDAR_DELETE)
    assert (delete_job.payload["meeting_uid"], delete_job.payload["sequence"]) == (meeting.uid, 1)
    cancels = [j for j in _jobs(session, outbox.EMAIL_MEETING) if j.payload["method"] == "CANCEL"]
    assert len(cancels) == 2
    view = booking.meeting_view(session, meeting.id, world.ben.id, "UTC", "24", NOW)
    assert (view.status, view.reason, view.can_change) == ("cancelled", "Sick", False)
    ics = Calendar.from_ical(booking.meeting_ics(session, meeting.id, world.ben.id))
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    with pytest.raises(Conflict):
        booking.cancel(meeting.id, world.ben, "", NOW, world.engine)
    with pytest.raises(Conflict):
        booking.reschedule(meeting.id, world.ben, at("2026-03-03T16:00"), "", NOW, world.engine)
    other = world.share()
    booking.book(other.id, world.cleo, at("2026-03-03T15:00"), NOW, world.engine)


def test_proposals_show_clashes_to_the_host_and_accept_through_the_checks(world, session):
    invite = world.share()
    booking.book(
        world.share_in(world.other_room).id, world.cleo, at("2026-03-05T10:00"), NOW, world.engine
    )
    times = [at("2026-03-07T10:00"), at("2026-03-05T10:00")]
    with pytest.raises(Forbidden):
        booking.propose_times(invite.id, world.ana, times, NOW, world.engine)
    with pytest.raises(InvalidInput):
        booking.propose_times(invite.id, world.ben, [*times, *times], NOW, world.engine)
    with pytest.raises(InvalidInput):
        booking.propose_times(invite.id, world.ben, [NOW - timedelta(hours=1)], NOW, world.engine)
    proposal = booking.propose_times(invite.id, world.ben, times, NOW, world.engine)
    card = rooms.messages(session, world.room.id, world.ana.id)[-1]
    assert (card.kind, card.ref_id) == (MessageKind.PROPOSAL, proposal.id)

    host_view = booking.proposal_view(
        session, proposal.id, world.ana.id, "Europe/Lisbon", "24", NOW
    )
    assert host_view.is_host
    assert host_view.status == "open"
    assert [(t.label, t.clashes) for t in host_view.times] == [
        ("Thu 5 Mar, 10:00", True),
        ("Sat 7 Mar, 10:00", False),
    ]
    ben_view = booking.proposal_view(session, proposal.id, world.ben.id, LA, "12", NOW)
    assert [(t.label, t.clashes) for t in ben_view.times] == [
        ("Thu 5 Mar, 2:00 AM", False),
        ("Sat 7 Mar, 2:00 AM", False),
    ]

    with pytest.raises(Forbidden):
        booking.accept_proposal(proposal.id, world.ben, times[0], NOW, world.engine)
    with pytest.raises(Conflict):
        booking.accept_proposal(proposal.id, world.ana, times[1], NOW, world.engine)
    with pytest.raises(InvalidInput):
        booking.accept_proposal(proposal.id, world.ana, at("2026-03-07T11:00"), NOW, world.engine)
    meeting = booking.accept_proposal(proposal.id, world.ana, times[0], NOW, world.engine)
    assert (meeting.start, meeting.booker_id, meeting.invite_id) == (
        times[0],
        world.ben.id,
        invite.id,
    )
    session.rollback()
    accepted = booking.proposal_view(session, proposal.id, world.ben.id, "UTC", "24", NOW)
    assert (accepted.status, accepted.meeting_id) == ("accepted", meeting.id)
    assert booking.invite_view(session, invite.id, world.ben.id).booked_meeting_id == meeting.id
    with pytest.raises(Conflict):
        booking.decline_proposal(proposal.id, world.ana, "", NOW, world.engine)


def test_declining_a_proposal_keeps_the_reason(world, session):
    invite = world.share()
    proposal = booking.propose_times(
        invite.id, world.ben, [at("2026-03-07T10:00")], NOW, world.engine
    )
    declined = booking.decline_proposal(proposal.id, world.ana, "Weekend", NOW, world.engine)
    assert (declined.status, declined.reason) == ("declined", "Weekend")
    assert session.get(Proposal, proposal.id).status == "declined"
    notice = rooms.messages(session, world.room.id, world.ben.id)[-1]
    assert notice.body == "Ana declined the times Ben suggested. Reason: Weekend"
    # The invite is still open for booking.
    booking.book(invite.id, world.ben, at("2026-03-03T10:00"), NOW, world.engine)
