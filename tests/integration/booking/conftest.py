"""People, a room and an invite for booking tests (a fixed `now`, a Lisbon host)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from meetapp.db import open_session
from meetapp.models import Invite, Membership, Room, User
from meetapp.services.availability import AvailabilityRules, Range, share_availability

# Monday 2 March 2026, 08:00 UTC (08:00 in Lisbon, WET = UTC+0).
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOST_ZONE = "Europe/Lisbon"


def rules(**changes) -> AvailabilityRules:
    """Mon-Fri 09:00-17:00 Lisbon, 30 minutes on a 30-minute grid, 4 h notice."""
    hours = (Range("09:00", "17:00"),)
    base = {
        "timezone": HOST_ZONE,
        "weekly": {day: hours for day in ("mon", "tue", "wed", "thu", "fri")},
        "overrides": {},
        "step_minutes": 30,
    }
    return AvailabilityRules(**(base | changes))


def at(text: str) -> datetime:
    """An aware UTC instant from "2026-03-03T15:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class World:
    engine: Engine
    ana: User  # host
    ben: User  # invitee, member
    cleo: User  # member too
    eve: User  # not a member
    room: Room
    other_room: Room  # Ana and Cleo only

    def share(self, **changes) -> Invite:
        with open_session(self.engine) as db:
            return share_availability(db, self.room.id, self.ana, rules(**changes), NOW)

    def share_in(self, room: Room, **changes) -> Invite:
        with open_session(self.engine) as db:
            return share_availability(db, room.id, self.ana, rules(**changes), NOW)


def make_world(engine: Engine) -> World:
    with open_session(engine) as db:
        people = [
            User(email=f"{name.lower()}@x.io", name=name, password_hash="-", timezone=zone)
            for name, zone in (
                ("Ana", HOST_ZONE),
                ("Ben", "America/Los_Angeles"),
                ("Cleo", "UTC"),
                ("Eve", "UTC"),
            )
        ]
        db.add_all(people)
        db.flush()
        ana, ben, cleo, eve = people
        room, other = Room(name="Team"), Room(name="Side")
        db.add_all([room, other])
        db.flush()
        for member in (ana, ben, cleo):
            db.add(Membership(room_id=room.id, user_id=member.id))
        for member in (ana, cleo):
            db.add(Membership(room_id=other.id, user_id=member.id))
    return World(engine, ana, ben, cleo, eve, room, other)


@pytest.fixture
def world(engine: Engine) -> World:
    return make_world(engine)


@pytest.fixture
def session(engine: Engine):
    """A session for reading what the services committed."""
    with Session(engine, expire_on_commit=False) as db:
        yield db
