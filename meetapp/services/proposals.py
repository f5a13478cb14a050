"""Suggesting other times when none of an invite's slots fit, and the host's answer.

Accepting books through the same serialized transaction as `booking.book`; the invite's
windows do not apply (the host chose the time) but busy time and meetings still do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetapp.db import open_session
from meetapp.display import clock_time
from meetapp.models import Invite, Meeting, MessageKind, Proposal, ProposalStatus, User
from meetapp.services.auth import known_timezones
from meetapp.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from meetapp.services.meeting_events import announce, new_meeting, show_meeting_card, with_reason
from meetapp.services.offers import (
    SLOT_TAKEN,
    booked_meeting_id,
    clashes,
    lock_host,
    member_invite,
    require_aware,
    utc_text,
)
from meetapp.services.rooms import post_card, post_system_message, require_member

MAX_TIMES = 3
MAX_REASON = 1000


@dataclass(frozen=True)
class ProposedTime:
    """One suggested start, labelled in the viewer's zone.

    `clashes` (shown to the host only) says it overlaps their busy time or meetings.
    """

    label: str
    start: str
    clashes: bool


@dataclass(frozen=True)
class ProposalView:
    """A proposal card as one viewer sees it."""

    id: int
    invite_id: int
    room_id: int
    proposer_name: str
    status: str
    times: tuple[ProposedTime, ...]
    is_host: bool
    reason: str
    meeting_id: int | None = None


def local_start(day: str, clock: str, zone: str) -> datetime:
    """The instant of a wall time the invitee typed in their own zone.

    Args:
        day: ISO date, e.g. "2027-03-02".
        clock: "HH:MM" on a 15-minute step.
        zone: The invitee's IANA zone.

    Raises:
        InvalidInput: Missing or malformed date or time, unknown zone, or a wall time
            that does not exist there (skipped by a clock change) (field "starts").
    """
    if zone not in known_timezones():
        raise InvalidInput("timezone", "Unknown time zone")
    try:
        wall = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))
    except ValueError:
        raise InvalidInput("starts", "Pick a date and a time for each suggestion") from None
    instant = wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    # A wall time inside a spring-forward gap comes back as a different wall time.
    if instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != wall:
        raise InvalidInput("starts", f"{clock} does not exist on {day} in {zone} (clocks change)")
    return instant


def _member_proposal(db: Session, proposal_id: int, user_id: int) -> tuple[Proposal, Invite]:
    proposal = db.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("Suggestion not found")
    require_member(db, proposal.room_id, user_id)
    return proposal, db.get(Invite, proposal.invite_id)


def propose_times(
    invite_id: int,
    invitee: User,
    starts: list[datetime],
    now: datetime,
    engine: Engine | None = None,
) -> Proposal:
    """Suggest one to three future times of the invitee's own; posts a proposal card.

    Raises:
        NotFound: Unknown invite or the invitee is not in its room.
        Forbidden: The host suggested times for their own invite.
        Conflict: The invite was already used.
        InvalidInput: No, too many, repeated, past or naive times (field "starts").
    """
    if not 1 <= len(starts) <= MAX_TIMES:
        raise InvalidInput("starts", "Suggest one to three times")
    instants = [require_aware(s, "starts") for s in starts]
    if len(set(instants)) != len(instants):
        raise InvalidInput("starts", "Suggest different times")
    if any(s <= now for s in instants):
        raise InvalidInput("starts", "Suggest times in the future")
    with open_session(engine) as db:
        invite = member_invite(db, invite_id, invitee.id)
        if invite.host_id == invitee.id:
            raise Forbidden("You can't suggest times for your own invitation")
        if booked_meeting_id(db, invite.id) is not None:
            raise Conflict("This invitation has already been used to book a meeting")
        proposal = Proposal(
            invite_id=invite.id,
            room_id=invite.room_id,
            proposer_id=invitee.id,
            times=[utc_text(s) for s in sorted(instants)],
            created_at=now,
        )
        db.add(proposal)
        db.flush()
        post_card(db, invite.room_id, invitee.id, MessageKind.PROPOSAL, proposal.id)
        return proposal


def proposal_view(
    db: Session, proposal_id: int, viewer_id: int, viewer_timezone: str, clock: str, now: datetime
) -> ProposalView:
    """A proposal card; the host also sees which times clash with their schedule.

    Raises:
        NotFound: Unknown proposal or the viewer is not in its room.
        InvalidInput: Unknown zone.
    """
    proposal, invite = _member_proposal(db, proposal_id, viewer_id)
    if viewer_timezone not in known_timezones():
        raise InvalidInput("timezone", "Unknown time zone")
    is_host = viewer_id == invite.host_id
    duration = timedelta(minutes=invite.duration_minutes)
    times = []
    for text in proposal.times:
        start = datetime.fromisoformat(text)
        local = start.astimezone(ZoneInfo(viewer_timezone))
        label = f"{local:%a} {local.day} {local:%b}, {clock_time(start, viewer_timezone, clock)}"
        clash = is_host and clashes(db, invite.rules, invite.host_id, start, start + duration, None)
        times.append(ProposedTime(label=label, start=text, clashes=clash))
    proposer = db.get(User, proposal.proposer_id)
    return ProposalView(
        id=proposal.id,
        invite_id=proposal.invite_id,
        room_id=proposal.room_id,
        proposer_name=proposer.name,
        status=proposal.status,
        times=tuple(times),
        is_host=is_host,
        reason=proposal.reason,
        meeting_id=proposal.meeting_id,
    )


def _answerable(db: Session, proposal_id: int, host: User) -> tuple[Proposal, Invite]:
    proposal, invite = _member_proposal(db, proposal_id, host.id)
    if invite.host_id != host.id:
        raise Forbidden("Only the host can answer suggested times")
    if proposal.status != ProposalStatus.OPEN:
        raise Conflict("These suggested times were already answered")
    return proposal, invite


def accept_proposal(
    proposal_id: int, host: User, start: datetime, now: datetime, engine: Engine | None = None
) -> Meeting:
    """Book one of the suggested times, through the same checks as a booking.

    Raises:
        NotFound: Unknown proposal or the host is not in its room.
        Forbidden: The caller is not the invite's host.
        Conflict: Already answered, the invite was used, or the time clashes.
        InvalidInput: `start` is not one of the suggested times, or it has passed.
    """
    start = require_aware(start, "start")
    with open_session(engine) as db:
        proposal, invite = _answerable(db, proposal_id, host)
        if utc_text(start) not in proposal.times or start.microsecond:
            raise InvalidInput("start", "Pick one of the suggested times")
        if start <= now:
            raise InvalidInput("start", "That time has passed")
        lock_host(db, invite.host_id)
        if booked_meeting_id(db, invite.id) is not None:
            raise Conflict("This invitation has already been used to book a meeting")
        duration = timedelta(minutes=invite.duration_minutes)
        if clashes(db, invite.rules, invite.host_id, start, start + duration, None):
            raise Conflict(SLOT_TAKEN)
        host, proposer = db.get(User, host.id), db.get(User, proposal.proposer_id)
        meeting = new_meeting(db, invite, proposer, [host, proposer], start, now)
        proposal.status, proposal.meeting_id = ProposalStatus.ACCEPTED, meeting.id
        db.add(proposal)
        show_meeting_card(db, meeting)
        body = f"{host.name} accepted the time {proposer.name} suggested: {{when}}"
        announce(db, meeting, host, body)
        return meeting


def decline_proposal(
    proposal_id: int, host: User, reason: str, now: datetime, engine: Engine | None = None
) -> Proposal:
    """Turn down suggested times, with an optional reason shown in the room.

    Raises:
        NotFound: Unknown proposal or the host is not in its room.
        Forbidden: The caller is not the invite's host.
        Conflict: Already answered.
        InvalidInput: The reason is too long.
    """
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", "Keep the reason under 1,000 characters")
    with open_session(engine) as db:
        proposal, _invite = _answerable(db, proposal_id, host)
        proposal.status, proposal.reason = ProposalStatus.DECLINED, reason
        db.add(proposal)
        db.flush()
        host, proposer = db.get(User, host.id), db.get(User, proposal.proposer_id)
        text = with_reason(f"{host.name} declined the times {proposer.name} suggested", reason)
        post_system_message(db, proposal.room_id, text)
        return proposal
