"""Booking a host's invite: what the invitee sees, the slots offered, and the booking itself.

A booking is one serialized write transaction that re-computes the offered slots and
re-checks the chosen start; on PostgreSQL an exclusion constraint also makes an overlap
for a host impossible to store, so exactly one of two racing bookings wins.

The invite's card turns into the meeting's card in place (its message becomes a MEETING
card referring to the meeting); `InviteView.booked_meeting_id` tells the same story.
Meetings (view, .ics, reschedule, cancel) live in `meetings`, suggestions of other
times in `proposals`; both are re-exported here so the whole interface is one import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetapp.db import open_session
from meetapp.models import Invite, Meeting, User
from meetapp.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from meetapp.services.meeting_events import announce, new_meeting, show_meeting_card
from meetapp.services.meetings import (
    MeetingView,
    cancel,
    meeting_ics,
    meeting_view,
    reschedule,
    reschedule_slots,
)
from meetapp.services.offers import (
    SlotDay,
    SlotTime,
    booked_meeting_id,
    check_offered,
    engine_slots,
    lock_host,
    member_invite,
    require_aware,
    slot_days,
)
from meetapp.services.proposals import (
    ProposalView,
    ProposedTime,
    accept_proposal,
    decline_proposal,
    local_start,
    proposal_view,
    propose_times,
)
from meetapp.services.rooms import member_ids

__all__ = [
    "InviteView",
    "MeetingView",
    "ProposalView",
    "ProposedTime",
    "SlotDay",
    "SlotTime",
    "accept_proposal",
    "book",
    "cancel",
    "decline_proposal",
    "invite_view",
    "local_start",
    "meeting_ics",
    "meeting_view",
    "offered_slots",
    "proposal_view",
    "propose_times",
    "reschedule",
    "reschedule_slots",
]

ALREADY_BOOKED = "This invitation has already been used to book a meeting"


@dataclass(frozen=True)
class InviteView:
    """An invite card as one viewer sees it."""

    id: int
    room_id: int
    host_id: int
    host_name: str
    duration_minutes: int
    note: str
    is_host: bool
    booked_meeting_id: int | None


def invite_view(db: Session, invite_id: int, viewer_id: int) -> InviteView:
    """An invite card for `viewer_id`.

    Raises:
        NotFound: Unknown invite or the viewer is not in its room.
    """
    invite = member_invite(db, invite_id, viewer_id)
    host = db.get(User, invite.host_id)
    return InviteView(
        id=invite.id,
        room_id=invite.room_id,
        host_id=invite.host_id,
        host_name=host.name,
        duration_minutes=invite.duration_minutes,
        note=invite.note,
        is_host=viewer_id == invite.host_id,
        booked_meeting_id=booked_meeting_id(db, invite.id),
    )


def offered_slots(
    db: Session,
    invite_id: int,
    viewer_id: int,
    viewer_timezone: str,
    now: datetime,
    reschedule_meeting_id: int | None = None,
) -> list[SlotDay]:
    """The times the invite offers now, grouped by the viewer's local dates.

    Busy time is the host's linked calendars plus all their live meetings in every room;
    the meeting being rescheduled (if any) counts as free. A used invite offers nothing.

    Raises:
        NotFound: Unknown invite or meeting, or the viewer is not in the room.
        InvalidInput: Unknown `viewer_timezone` (field "timezone").
    """
    invite = member_invite(db, invite_id, viewer_id)
    if reschedule_meeting_id is None and booked_meeting_id(db, invite.id) is not None:
        return []
    if reschedule_meeting_id is not None:
        meeting = db.get(Meeting, reschedule_meeting_id)
        if meeting is None or meeting.room_id != invite.room_id:
            raise NotFound("Meeting not found")
    answer = engine_slots(
        db, invite.rules, invite.host_id, now, viewer_timezone, reschedule_meeting_id
    )
    return slot_days(answer["slots"], viewer_timezone)


def book(
    invite_id: int,
    booker: User,
    start: datetime,
    now: datetime,
    engine: Engine | None = None,
    guest_ids: Sequence[int] = (),
) -> Meeting:
    """Book `start` on a host's invite, re-checking it inside one serialized transaction.

    Args:
        invite_id: The invite.
        booker: The member booking (not the host).
        start: The chosen start (aware); must be one the invite offers right now.
        now: The current time.
        engine: Database engine; the configured one by default.
        guest_ids: Other room members to invite too (added to the interface).

    Returns:
        The meeting; its card, a room notice and the outbox jobs are committed with it.

    Raises:
        NotFound: Unknown invite or the booker is not in its room.
        Forbidden: The host tried to book their own invite.
        Conflict: The time was just taken, or the invite was already used.
        InvalidInput: The time is not offered at all, or a guest is not a member.
    """
    start = require_aware(start, "start")
    with open_session(engine) as db:
        invite = member_invite(db, invite_id, booker.id)
        if invite.host_id == booker.id:
            raise Forbidden("You can't book your own invitation")
        booker = db.get(User, booker.id)
        host = db.get(User, invite.host_id)
        guests = _guests(db, invite, guest_ids, {host.id, booker.id})
        lock_host(db, host.id)
        if booked_meeting_id(db, invite.id) is not None:
            raise Conflict(ALREADY_BOOKED)
        check_offered(db, invite.rules, host.id, start, now)
        meeting = new_meeting(db, invite, booker, [host, booker, *guests], start, now)
        show_meeting_card(db, meeting)
        announce(
            db, meeting, booker, f"{booker.name} scheduled a meeting with {host.name} for {{when}}"
        )
        return meeting


def _guests(db: Session, invite: Invite, guest_ids: Sequence[int], taken: set[int]) -> list[User]:
    wanted = [i for i in dict.fromkeys(guest_ids) if i not in taken]
    if set(wanted) - set(member_ids(db, invite.room_id)):
        raise InvalidInput("guests", "Only members of this room can be invited")
    return [db.get(User, i) for i in wanted]
