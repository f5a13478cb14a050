from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from meetapp.models import Membership, Message, MessageKind
from meetapp.realtime import changes
from meetapp.services import auth, rooms
from meetapp.services.errors import InvalidInput, NotFound


@pytest.fixture
def people(db):
    make = lambda email, name: auth.sign_up(db, email=email, name=name, password="long enough")  # noqa: E731
    return make("ana@x.io", "Ana Sousa"), make("ben@x.io", "Ben Carter"), make("eve@x.io", "Eve")


def test_a_one_to_one_room_is_reused_for_the_same_pair(db, people):
    ana, ben, _ = people
    first = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    again = rooms.create_room(db, ben, name="", emails=["ANA@x.io"])
    assert first.id == again.id
    named = rooms.create_room(db, ana, name="Project", emails=["ben@x.io"])
    assert named.id != first.id


def test_create_room_rejects_unknown_emails_and_nobody(db, people):
    ana, _, _ = people
    with pytest.raises(InvalidInput, match=r"No account uses ghost@x\.io"):
        rooms.create_room(db, ana, name="", emails=["ghost@x.io"])
    with pytest.raises(InvalidInput, match="at least one other person"):
        rooms.create_room(db, ana, name="", emails=["ana@x.io"])


def test_non_members_get_not_found_for_everything(db, people):
    ana, _, eve = people
    room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    for call in (
        lambda: rooms.messages(db, room.id, eve.id),
        lambda: rooms.post_text(db, room.id, eve, "hi"),
        lambda: rooms.add_member(db, room.id, eve, "eve@x.io"),
        lambda: rooms.leave_room(db, room.id, eve),
        lambda: rooms.require_member(db, 99999, ana.id),
    ):
        with pytest.raises(NotFound, match="Room not found"):
            call()
    assert [r.id for r in rooms.list_rooms(db, eve.id)] == []


def test_messages_are_ordered_and_count_as_unread_for_others(db, people):
    ana, ben, _ = people
    room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    rooms.post_text(db, room.id, ana, "first")
    rooms.post_text(db, room.id, ana, "second")
    history = rooms.messages(db, room.id, ben.id)
    assert [m.kind for m in history] == ["system", "text", "text"]
    assert [m.body for m in history][1:] == ["first", "second"]
    (summary,) = rooms.list_rooms(db, ben.id)
    assert summary.title == "Ana Sousa"
    assert summary.last_message == "second"
    assert summary.unread == 3
    rooms.mark_read(db, room.id, ben.id, history[-1].id)
    assert rooms.list_rooms(db, ben.id)[0].unread == 0
    assert rooms.list_rooms(db, ana.id)[0].unread == 0  # sending marks the room read


def test_empty_or_huge_messages_are_refused(db, people):
    ana, _, _ = people
    room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    with pytest.raises(InvalidInput, match="Write something"):
        rooms.post_text(db, room.id, ana, "   ")
    with pytest.raises(InvalidInput, match="limited"):
        rooms.post_text(db, room.id, ana, "x" * (rooms.MAX_MESSAGE_LENGTH + 1))


def test_add_and_leave_post_system_messages_and_break_the_direct_pair(db, people):
    ana, ben, eve = people
    room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    rooms.add_member(db, room.id, ben, "eve@x.io")
    with pytest.raises(InvalidInput, match="already in this room"):
        rooms.add_member(db, room.id, ana, "eve@x.io")
    rooms.leave_room(db, room.id, eve)
    bodies = [m.body for m in rooms.messages(db, room.id, ana.id)]
    assert bodies[-2:] == ["Ben Carter added Eve", "Eve left the conversation"]
    assert room.direct_key is None
    fresh = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    assert fresh.id != room.id
    kinds = db.exec(select(Message.kind).where(Message.room_id == room.id)).all()
    assert set(kinds) == {MessageKind.SYSTEM}
    assert db.exec(select(Membership).where(Membership.user_id == eve.id)).first() is None


def test_committed_changes_are_published_to_room_and_member_topics(db, people):
    ana, ben, _ = people
    seen: list[frozenset[str]] = []
    changes.add_local_listener(seen.append)
    try:
        room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
        db.commit()
        rooms.post_text(db, room.id, ben, "hello")
        db.rollback()  # a rolled-back message must not be announced
        rooms.post_text(db, room.id, ben, "hello again")
        db.commit()
    finally:
        changes._local_listeners.remove(seen.append)
    expected = {f"room:{room.id}", f"user:{ana.id}", f"user:{ben.id}"}
    assert len(seen) == 2
    assert all(expected <= batch for batch in seen)


def test_room_list_costs_the_same_few_queries_for_many_rooms(db, engine, people):
    ana, ben, eve = people
    for n in range(12):
        room = rooms.create_room(db, ana, name=f"Room {n}", emails=["ben@x.io", "eve@x.io"])
        rooms.post_text(db, room.id, ben if n % 2 else eve, f"hello {n}")
    db.flush()
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    listed = rooms.list_rooms(db, ana.id)
    assert len(statements) <= 4
    assert [r.title for r in listed][:2] == ["Room 11", "Room 10"]
    assert [r.last_message for r in listed][:2] == ["hello 11", "hello 10"]
    assert all(r.unread == 2 for r in listed)  # "Ana started the conversation" + hello


def test_room_list_keeps_a_system_time_for_the_reader_zone(db, people):
    ana, _, _ = people
    room = rooms.create_room(db, ana, name="", emails=["ben@x.io"])
    at = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    rooms.post_system_message(db, room.id, "Ben scheduled a meeting for {when}", event_at=at)
    (summary,) = rooms.list_rooms(db, ana.id)
    assert summary.last_message == "Ben scheduled a meeting for {when}"
    assert summary.last_event_at.replace(tzinfo=UTC) == at
