from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from meetapp.notifications.meeting import MeetingInvite, Person

ANA = Person("Ana Sousa", "ana@example.com")
BEN = Person("Ben Müller", "ben@example.org")
START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def _base_invite() -> MeetingInvite:
    return MeetingInvite(
        uid="meeting-42@meetapp",
        sequence=0,
        status="scheduled",
        title="Café sync ☕",
        description="Quarterly planning.\nBring numbers.",
        start=START,
        end=START + timedelta(minutes=30),
        organizer=ANA,
        attendees=(BEN,),
        join_url="https://meetapp.test/join/42",
        room_url="https://meetapp.test/rooms/7",
        reason=None,
        updated_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )


@pytest.fixture
def ana() -> Person:
    return ANA


@pytest.fixture
def ben() -> Person:
    return BEN


@pytest.fixture
def invite() -> MeetingInvite:
    return _base_invite()


@pytest.fixture
def make_invite():
    def make(**changes) -> MeetingInvite:
        return replace(_base_invite(), **changes)

    return make
