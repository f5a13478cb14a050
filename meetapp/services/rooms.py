"""Rooms, membership and messages.

Every read or write that names a room goes through `require_member`, which
answers `NotFound` to non-members so that a room's existence never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from meetapp.models import Membership, Message, MessageKind, Room, User
from meetapp.realtime.changes import mark_changed, room_topic, user_topic
from meetapp.services.auth import normalize_email
from meetapp.services.errors import InvalidInput, NotFound

MAX_MESSAGE_LENGTH = 4000
MAX_ROOM_NAME = 80


@dataclass(frozen=True)
class RoomSummary:
    """One line of a user's room list."""

    id: int
    title: str
    last_message: str
    last_message_at: datetime
    unread: int
    last_event_at: datetime | None = None


@dataclass(frozen=True)
class MessageView:
    """A message as its reader needs it."""

    id: int
    kind: str
    author_id: int | None
    author_name: str
    body: str
    ref_id: int | None
    created_at: datetime
    # The instant `{when}` in a system message's body stands for; render the body with
    # `render_system_body(body, event_at, zone, clock)` so each reader sees their own zone.
    event_at: datetime | None = None


def require_member(db: Session, room_id: int, user_id: int) -> Room:
    """Return the room if `user_id` belongs to it.

    Raises:
        NotFound: The room does not exist or the user is not a member.
    """
    room = db.exec(
        select(Room)
        .join(Membership, col(Membership.room_id) == Room.id)
        .where(Room.id == room_id, Membership.user_id == user_id)
    ).first()
    if room is None:
        raise NotFound("Room not found")
    return room


def members(db: Session, room_id: int) -> list[User]:
    """Members of a room, in the order they joined."""
    return list(
        db.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(Membership.room_id == room_id)
            .order_by(col(Membership.joined_at), col(Membership.id))
        )
    )


def member_ids(db: Session, room_id: int) -> list[int]:
    """Ids of a room's members."""
    return list(db.exec(select(Membership.user_id).where(Membership.room_id == room_id)))


def room_title(room: Room, people: list[User], viewer_id: int) -> str:
    """A room's name, or the other members' names for an unnamed room."""
    if room.name:
        return room.name
    others = [p.name for p in people if p.id != viewer_id]
    return ", ".join(others) if others else "Just you"


def _find_users_by_email(db: Session, emails: list[str]) -> list[User]:
    wanted = {normalize_email(e) for e in emails if e.strip()}
    found = list(db.exec(select(User).where(col(User.email).in_(wanted))))
    missing = wanted - {u.email for u in found}
    if missing:
        raise InvalidInput("emails", f"No account uses {', '.join(sorted(missing))}.")
    return found


def _touch_members(db: Session, room_id: int) -> None:
    mark_changed(db, [room_topic(room_id)] + [user_topic(i) for i in member_ids(db, room_id)])


def _direct_key(a: int, b: int) -> str:
    return f"{min(a, b)}:{max(a, b)}"


def create_room(db: Session, creator: User, *, name: str, emails: list[str]) -> Room:
    """Start a conversation with the people behind `emails`.

    A room without a name and exactly one other person is a 1:1 room: the
    existing one for that pair is returned instead of a duplicate.

    Args:
        db: Database session.
        creator: The user starting the room (becomes a member).
        name: Optional room name.
        emails: Emails of existing accounts to add.

    Returns:
        The new or reused room.

    Raises:
        InvalidInput: Unknown email, no one to talk to, or a name too long.
    """
    name = name.strip()
    if len(name) > MAX_ROOM_NAME:
        raise InvalidInput("name", f"Keep the name under {MAX_ROOM_NAME} characters.")
    others = [u for u in _find_users_by_email(db, emails) if u.id != creator.id]
    if not others:
        raise InvalidInput("emails", "Add at least one other person by email.")
    direct_key = _direct_key(creator.id, others[0].id) if len(others) == 1 and not name else None
    if direct_key:
        existing = db.exec(select(Room).where(Room.direct_key == direct_key)).first()
        if existing is not None:
            return existing
    room = Room(name=name or None, direct_key=direct_key, created_by=creator.id)
    db.add(room)
    db.flush()
    for user in [creator, *others]:
        db.add(Membership(room_id=room.id, user_id=user.id))
    db.flush()
    post_system_message(db, room.id, f"{creator.name} started the conversation")
    return room


def add_member(db: Session, room_id: int, actor: User, email: str) -> User:
    """Add the account behind `email` to a room the actor belongs to.

    Raises:
        NotFound: The actor is not a member.
        InvalidInput: Unknown email or already a member.
    """
    room = require_member(db, room_id, actor.id)
    if not email.strip():
        raise InvalidInput("email", "Enter the email of the person to add.")
    (user,) = _find_users_by_email(db, [email])
    if user.id in member_ids(db, room_id):
        raise InvalidInput("email", f"{user.name} is already in this room.")
    if room.direct_key:
        # A 1:1 room that grows is no longer the pair's private room.
        room.direct_key = None
        db.add(room)
    db.add(Membership(room_id=room_id, user_id=user.id))
    db.flush()
    post_system_message(db, room_id, f"{actor.name} added {user.name}")
    return user


def leave_room(db: Session, room_id: int, user: User) -> None:
    """Remove `user` from a room; the others see a notice.

    Raises:
        NotFound: The user is not a member.
    """
    room = require_member(db, room_id, user.id)
    membership = db.exec(
        select(Membership).where(Membership.room_id == room_id, Membership.user_id == user.id)
    ).one()
    mark_changed(db, [user_topic(user.id)])
    db.delete(membership)
    if room.direct_key:
        room.direct_key = None
        db.add(room)
    db.flush()
    post_system_message(db, room_id, f"{user.name} left the conversation")


def _append(db: Session, message: Message) -> Message:
    db.add(message)
    room = db.get(Room, message.room_id)
    room.last_message_at = message.created_at
    db.add(room)
    db.flush()
    _touch_members(db, message.room_id)
    return message


def post_text(db: Session, room_id: int, author: User, body: str) -> Message:
    """Send a text message.

    Raises:
        NotFound: The author is not a member.
        InvalidInput: Empty or too long.
    """
    require_member(db, room_id, author.id)
    body = body.strip()
    if not body:
        raise InvalidInput("body", "Write something first.")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise InvalidInput("body", f"Messages are limited to {MAX_MESSAGE_LENGTH} characters.")
    message = _append(db, Message(room_id=room_id, author_id=author.id, body=body))
    mark_read(db, room_id, author.id, message.id)
    return message


def post_system_message(
    db: Session, room_id: int, body: str, event_at: datetime | None = None
) -> Message:
    """Append a system notice (e.g. "Ana scheduled a meeting") to a room.

    Args:
        db: Database session.
        room_id: The room.
        body: The text; a `{when}` placeholder stands for `event_at`, which every reader
            sees in their own zone (see `meetapp.display.render_system_body`).
        event_at: The instant `{when}` means (aware UTC), if the body has one.
    """
    message = Message(room_id=room_id, kind=MessageKind.SYSTEM, body=body, event_at=event_at)
    return _append(db, message)


def post_card(
    db: Session, room_id: int, author_id: int, kind: MessageKind, ref_id: int, body: str = ""
) -> Message:
    """Append a card (invite, meeting, proposal) that refers to record `ref_id`."""
    return _append(
        db, Message(room_id=room_id, author_id=author_id, kind=kind, ref_id=ref_id, body=body)
    )


def messages(db: Session, room_id: int, viewer_id: int, limit: int = 200) -> list[MessageView]:
    """The newest `limit` messages of a room, oldest first.

    Raises:
        NotFound: The viewer is not a member.
    """
    require_member(db, room_id, viewer_id)
    rows = db.exec(
        select(Message, User.name)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .where(Message.room_id == room_id)
        .order_by(col(Message.id).desc())
        .limit(limit)
    ).all()
    return [
        MessageView(
            id=m.id,
            kind=m.kind,
            author_id=m.author_id,
            author_name=name or "",
            body=m.body,
            ref_id=m.ref_id,
            created_at=m.created_at,
            event_at=m.event_at,
        )
        for m, name in reversed(rows)
    ]


def mark_read(db: Session, room_id: int, user_id: int, message_id: int) -> None:
    """Record that `user_id` has seen the room up to `message_id`."""
    membership = db.exec(
        select(Membership).where(Membership.room_id == room_id, Membership.user_id == user_id)
    ).first()
    if membership is not None and membership.last_read_message_id < message_id:
        membership.last_read_message_id = message_id
        db.add(membership)
        mark_changed(db, [user_topic(user_id)])


def list_rooms(db: Session, user_id: int) -> list[RoomSummary]:
    """The rooms `user_id` belongs to, most recently active first.

    Four queries however many rooms there are: it runs on every live refresh.
    """
    my_rooms = db.exec(
        select(Room)
        .join(Membership, col(Membership.room_id) == Room.id)
        .where(Membership.user_id == user_id)
        .order_by(col(Room.last_message_at).desc())
    ).all()
    room_ids = [room.id for room in my_rooms]
    last_ids = select(func.max(Message.id)).where(col(Message.room_id).in_(room_ids))
    latest = {
        m.room_id: m
        for m in db.exec(
            select(Message).where(col(Message.id).in_(last_ids.group_by(col(Message.room_id))))
        )
    }
    # Joined to the reader's own memberships, so only their rooms are counted.
    unread_rows = db.exec(
        select(Message.room_id, func.count())
        .join(Membership, col(Membership.room_id) == Message.room_id)
        .where(
            Membership.user_id == user_id,
            col(Message.id) > Membership.last_read_message_id,
            col(Message.author_id).is_distinct_from(user_id),
        )
        .group_by(col(Message.room_id))
    ).all()
    unread = dict(unread_rows)
    people: dict[int, list[User]] = {room_id: [] for room_id in room_ids}
    for room_id, person in db.exec(
        select(Membership.room_id, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(col(Membership.room_id).in_(room_ids))
        .order_by(col(Membership.joined_at), col(Membership.id))
    ):
        people[room_id].append(person)
    return [
        RoomSummary(
            id=room.id,
            title=room_title(room, people[room.id], user_id),
            last_message=_preview(latest.get(room.id)),
            last_message_at=latest[room.id].created_at if room.id in latest else room.created_at,
            unread=unread.get(room.id, 0),
            last_event_at=latest[room.id].event_at if room.id in latest else None,
        )
        for room in my_rooms
    ]


_CARD_PREVIEWS = {
    MessageKind.INVITE: "Meeting invitation",
    MessageKind.MEETING: "Meeting scheduled",
    MessageKind.PROPOSAL: "Suggested meeting times",
}


def _preview(message: Message | None) -> str:
    """The last message as the list shows it; a `{when}` stays for the reader's zone."""
    if message is None:
        return "No messages yet"
    if message.kind == MessageKind.SYSTEM:
        return message.body
    return _CARD_PREVIEWS.get(message.kind, message.body)[:80]
