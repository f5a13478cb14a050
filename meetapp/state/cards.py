"""Card data for invite, meeting and suggested-times messages, as one reader sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from meetapp.models import MessageKind
from meetapp.services import booking
from meetapp.services.rooms import MessageView


@dataclass
class ProposedItem:
    """One suggested time on a proposal card, in the reader's zone."""

    label: str
    start: str
    clashes: bool


@dataclass
class CardItem:
    """What an invite or meeting card shows to this reader (empty for other kinds)."""

    host: str = ""
    duration: str = ""
    note: str = ""
    is_host: bool = False
    meeting_id: int = 0
    date: str = ""
    time_range: str = ""
    status: str = ""
    participants: str = ""
    join_url: str = ""
    google_url: str = ""
    outlook_url: str = ""
    ics_url: str = ""
    reason: str = ""
    can_change: bool = False
    proposal_id: int = 0
    proposer: str = ""
    proposed: list[ProposedItem] = field(default_factory=list)


def _proposal_card(
    db: Session, proposal_id: int, viewer_id: int, zone: str, clock: str, now: datetime
) -> CardItem:
    view = booking.proposal_view(db, proposal_id, viewer_id, zone, clock, now)
    invite = booking.invite_view(db, view.invite_id, viewer_id)
    return CardItem(
        host=invite.host_name,
        duration=f"{invite.duration_minutes} min",
        is_host=view.is_host,
        status=view.status,
        reason=view.reason,
        proposal_id=view.id,
        proposer=view.proposer_name,
        proposed=[ProposedItem(t.label, t.start, t.clashes) for t in view.times],
    )


def card_for(
    db: Session, message: MessageView, viewer_id: int, zone: str, clock: str, now: datetime
) -> CardItem:
    """The `CardItem` of a card message (an empty one for other kinds).

    An invite that has been booked is shown as its meeting, so the card in the
    room turns into the meeting card for everyone.
    """
    if message.kind == MessageKind.PROPOSAL and message.ref_id:
        return _proposal_card(db, message.ref_id, viewer_id, zone, clock, now)
    if message.kind == MessageKind.INVITE and message.ref_id:
        invite = booking.invite_view(db, message.ref_id, viewer_id)
        if invite.booked_meeting_id is None:
            return CardItem(
                host=invite.host_name,
                duration=f"{invite.duration_minutes} min",
                note=invite.note,
                is_host=invite.is_host,
            )
        meeting_id = invite.booked_meeting_id
    elif message.kind == MessageKind.MEETING and message.ref_id:
        meeting_id = message.ref_id
    else:
        return CardItem()
    view = booking.meeting_view(db, meeting_id, viewer_id, zone, clock, now)
    return CardItem(
        host=view.host_name,
        duration=f"{view.duration_minutes} min",
        meeting_id=view.id,
        date=view.weekday_date,
        time_range=view.time_range,
        status=view.status,
        participants=", ".join(view.participants),
        join_url=view.join_url,
        google_url=view.google_url,
        outlook_url=view.outlook_url,
        ics_url=view.ics_url,
        reason=view.reason,
        can_change=view.can_change,
    )
