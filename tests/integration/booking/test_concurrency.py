"""Racing bookings: exactly one wins, on SQLite (serialized writes) and PostgreSQL (constraint)."""

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import select

from meetapp.db import open_session
from meetapp.models import Meeting, MeetingStatus, Membership, User
from meetapp.services import booking
from meetapp.services.errors import Conflict

from .conftest import NOW, at, make_world

THREADS = 8


def _bookers(world, count):
    with open_session(world.engine) as db:
        people = [User(email=f"b{i}@x.io", name=f"B{i}", password_hash="-") for i in range(count)]
        db.add_all(people)
        db.flush()
        db.add_all(Membership(room_id=world.room.id, user_id=p.id) for p in people)
    return people


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index):
        barrier.wait()
        try:
            outcomes[index] = calls[index]()
        except Exception as error:  # collected and checked by the caller
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _assert_one_winner(world, outcomes):
    winners = [o for o in outcomes if isinstance(o, Meeting)]
    losers = [o for o in outcomes if not isinstance(o, Meeting)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in losers), losers
    with open_session(world.engine) as db:
        stored = db.exec(select(Meeting).where(Meeting.status != MeetingStatus.CANCELLED)).all()
    assert [m.id for m in stored] == [winners[0].id]


def _same_slot(world):
    invite = world.share()
    people = _bookers(world, THREADS)
    start = at("2026-03-03T10:00")
    calls = [lambda p=p: booking.book(invite.id, p, start, NOW, world.engine) for p in people]
    _assert_one_winner(world, _race(calls))


def _overlapping_slots(world):
    # Separate invites, so only the overlap (not "invite already used") decides.
    invites = [world.share(step_minutes=15) for _ in range(THREADS)]
    people = _bookers(world, THREADS)
    starts = [at("2026-03-03T10:00"), at("2026-03-03T10:15")]
    calls = [
        lambda i=i, p=p: booking.book(invites[i].id, p, starts[i % 2], NOW, world.engine)
        for i, p in enumerate(people)
    ]
    _assert_one_winner(world, _race(calls))


def test_same_slot_on_sqlite(world):
    _same_slot(world)


def test_overlapping_slots_on_sqlite(world):
    _overlapping_slots(world)


def test_same_slot_on_postgres(pg_engine):
    _same_slot(make_world(pg_engine))


def test_overlapping_slots_on_postgres(pg_engine):
    _overlapping_slots(make_world(pg_engine))


def test_postgres_itself_refuses_overlapping_meetings(pg_engine):
    world = make_world(pg_engine)
    invite = world.share()
    first = booking.book(invite.id, world.ben, at("2026-03-03T10:00"), NOW, pg_engine)
    clash = Meeting(
        room_id=world.room.id,
        host_id=world.ana.id,
        booker_id=world.cleo.id,
        start=at("2026-03-03T10:15"),
        end=at("2026-03-03T10:45"),
        uid="meeting-clash@meetapp",
        join_token="clash",
    )
    with (
        pytest.raises(sa.exc.IntegrityError, match="meetings_host_no_overlap"),
        open_session(pg_engine) as db,
    ):
        db.add(clash)
    # Cancelled meetings do not hold their time.
    booking.cancel(first.id, world.ben, "", NOW, pg_engine)
    with open_session(pg_engine) as db:
        db.add(clash)


def test_a_constraint_violation_becomes_a_conflict(pg_engine, monkeypatch):
    world = make_world(pg_engine)
    first, second = world.share(), world.share()
    booking.book(first.id, world.ben, at("2026-03-03T10:00"), NOW, pg_engine)
    # Pretend the in-code re-check lost a race: only the database is left to say no.
    monkeypatch.setattr(booking, "check_offered", lambda *args, **kwargs: None)
    monkeypatch.setattr(booking, "lock_host", lambda *args, **kwargs: None)
    with pytest.raises(Conflict, match="just taken"):
        booking.book(second.id, world.cleo, at("2026-03-03T10:00"), NOW, pg_engine)
