"""Database tables.

All datetimes are stored as aware UTC (`UtcDateTime`), so that SQLite and
PostgreSQL return the same kind of value and no naive time leaks into the app.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UtcDateTime(TypeDecorator):
    """A timestamp column that only accepts and returns aware UTC datetimes."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: D102
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        # SQLite has no time zones: store the UTC wall time.
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # noqa: D102
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def _timestamp(**kwargs) -> object:
    return Field(sa_type=UtcDateTime, **kwargs)


class MessageKind(StrEnum):
    """What a message in a room is; each kind renders differently."""

    TEXT = "text"
    SYSTEM = "system"
    INVITE = "invite"
    MEETING = "meeting"
    PROPOSAL = "proposal"


class User(SQLModel, table=True):
    """A person with an account."""

    __tablename__ = "users"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=80)
    password_hash: str = Field(max_length=255)
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = _timestamp(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser; only a hash of its cookie token is stored."""

    __tablename__ = "user_sessions"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _timestamp(default_factory=utcnow)
    expires_at: datetime = _timestamp()


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, kept briefly to slow down password guessing."""

    __tablename__ = "login_failures"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    created_at: datetime = _timestamp(default_factory=utcnow, index=True)


class Room(SQLModel, table=True):
    """A conversation between two or more people."""

    __tablename__ = "rooms"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str | None = Field(default=None, max_length=80)
    # "lowid:highid" for a 1:1 room so that the same pair reuses one room.
    direct_key: str | None = Field(default=None, max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = _timestamp(default_factory=utcnow)
    last_message_at: datetime = _timestamp(default_factory=utcnow, index=True)


class Membership(SQLModel, table=True):
    """That a user belongs to a room, and how far they have read."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("room_id", "user_id", name="uq_membership_room_user"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    joined_at: datetime = _timestamp(default_factory=utcnow)
    last_read_message_id: int = Field(default=0)


class Message(SQLModel, table=True):
    """One entry in a room's history: text, a system notice or a card."""

    __tablename__ = "messages"
    __table_args__ = (
        sa.Index("ix_messages_room_id_id", "room_id", "id"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    kind: str = Field(default=MessageKind.TEXT, max_length=16)
    body: str = Field(default="", sa_type=sa.Text)
    # The invite / meeting / proposal a card message shows.
    ref_id: int | None = Field(default=None)
    # For system messages about a meeting time: the instant that `{when}` in `body`
    # stands for, so each reader sees it in their own zone (see services.system_text).
    event_at: datetime | None = _timestamp(default=None, nullable=True)
    created_at: datetime = _timestamp(default_factory=utcnow)


class OutboxJob(SQLModel, table=True):
    """Work for outside systems, written in the transaction that caused it.

    A worker delivers jobs with retries and backoff; because the job is
    committed together with the change, an app restart loses nothing.
    """

    __tablename__ = "outbox_jobs"
    __table_args__ = (
        sa.Index("ix_outbox_jobs_due", "done_at", "next_attempt_at"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    payload: dict = Field(default_factory=dict, sa_type=sa.JSON)
    # Jobs with the same key are delivered in order (e.g. one meeting's writes).
    ordering_key: str = Field(default="", max_length=120, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = _timestamp(default_factory=utcnow)
    done_at: datetime | None = _timestamp(default=None, nullable=True)
    failed_at: datetime | None = _timestamp(default=None, nullable=True)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = _timestamp(default_factory=utcnow)


class ExternalBusy(SQLModel, table=True):
    """A cached busy interval of a user's linked calendar (kept fresh by sync)."""

    __tablename__ = "external_busy"
    __table_args__ = (
        sa.Index("ix_external_busy_user_start", "user_id", "start"),
        sa.UniqueConstraint("calendar_ref", "event_id", name="uq_external_busy_event"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    # Which linked calendar this came from ("<connection id>:<calendar id>").
    calendar_ref: str = Field(max_length=300, index=True)
    event_id: str = Field(max_length=300)
    start: datetime = _timestamp()
    end: datetime = _timestamp()


class Availability(SQLModel, table=True):
    """A user's last saved availability rules: the default of their next invite, in any room."""

    __tablename__ = "availabilities"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True, ondelete="CASCADE")
    rules: dict = Field(default_factory=dict, sa_type=sa.JSON)
    updated_at: datetime = _timestamp(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """A host's offer to meet, posted in a room with a snapshot of the rules it was sent with."""

    __tablename__ = "invites"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    host_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    # Later edits of the host's saved rules must not change an invite already sent.
    rules: dict = Field(default_factory=dict, sa_type=sa.JSON)
    duration_minutes: int = Field(default=30)
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = _timestamp(default_factory=utcnow)


class MeetingStatus(StrEnum):
    """Where a meeting is in its life."""

    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class Meeting(SQLModel, table=True):
    """A booked meeting between a host and the room members who take part.

    On PostgreSQL an exclusion constraint (see the migration) makes overlapping
    non-cancelled meetings of one host impossible to store.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        sa.Index("ix_meetings_host_start", "host_id", "start"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    invite_id: int | None = Field(
        default=None, foreign_key="invites.id", index=True, ondelete="SET NULL"
    )
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    host_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    booker_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    start: datetime = _timestamp()
    end: datetime = _timestamp()
    status: str = Field(default=MeetingStatus.SCHEDULED, max_length=16)
    # iCalendar revision: calendars ignore an update whose SEQUENCE did not grow.
    sequence: int = Field(default=0)
    uid: str = Field(max_length=120, unique=True)
    join_token: str = Field(max_length=64, unique=True, index=True)
    # The Meet / Teams link the host's calendar created for it; the built-in
    # /meet/<join_token> room is the join link until (or unless) there is one.
    conference_url: str | None = Field(default=None, max_length=2000, nullable=True)
    reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = _timestamp(default_factory=utcnow)
    # When the current start time was chosen (booking or reschedule); reminders use it.
    updated_at: datetime = _timestamp(default_factory=utcnow)


class MeetingParticipant(SQLModel, table=True):
    """A room member taking part in a meeting (the host included)."""

    __tablename__ = "meeting_participants"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_participant"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")


class ProposalStatus(StrEnum):
    """What the host did with a proposal."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Proposal(SQLModel, table=True):
    """Times an invitee suggested when none of the offered slots fit."""

    __tablename__ = "proposals"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    invite_id: int = Field(foreign_key="invites.id", index=True, ondelete="CASCADE")
    room_id: int = Field(foreign_key="rooms.id", index=True, ondelete="CASCADE")
    proposer_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    # UTC ISO "...Z" starts, 1 to 3.
    times: list = Field(default_factory=list, sa_type=sa.JSON)
    status: str = Field(default=ProposalStatus.OPEN, max_length=16)
    reason: str = Field(default="", sa_type=sa.Text)
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id", ondelete="SET NULL")
    created_at: datetime = _timestamp(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """A reminder that went out, so that no worker sends it twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "offset_minutes", name="uq_reminder_sent"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True, ondelete="CASCADE")
    offset_minutes: int
    sent_at: datetime = _timestamp(default_factory=utcnow)


class CalendarConnection(SQLModel, table=True):
    """A linked calendar account (Google, Microsoft or CalDAV) of one user.

    ``credentials`` is a Fernet token (see ``meetapp.crypto``): OAuth tokens or the
    CalDAV URL, username and password. It never leaves the backend in clear.
    """

    __tablename__ = "calendar_connections"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=16)
    account_email: str = Field(default="", max_length=254)
    credentials: str = Field(sa_type=sa.Text)
    # "active" or "needs_relink" (the grant or password stopped working).
    status: str = Field(default="active", max_length=16)
    status_detail: str = Field(default="", max_length=300)
    tentative_is_busy: bool = Field(default=True)
    want_conference: bool = Field(default=False)
    created_at: datetime = _timestamp(default_factory=utcnow)
    last_synced_at: datetime | None = _timestamp(default=None, nullable=True)
    last_sync_error: str = Field(default="", max_length=500)


class LinkedCalendar(SQLModel, table=True):
    """One calendar of a connection, with the user's choices and its sync state."""

    __tablename__ = "linked_calendars"
    __table_args__ = (
        sa.UniqueConstraint("connection_id", "remote_id", name="uq_linked_calendar_remote"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(
        foreign_key="calendar_connections.id", index=True, ondelete="CASCADE"
    )
    remote_id: str = Field(max_length=1000)
    name: str = Field(default="", max_length=200)
    is_primary: bool = Field(default=False)
    can_write: bool = Field(default=True)
    check_conflicts: bool = Field(default=False)
    receives_meetings: bool = Field(default=False)
    # Google syncToken, Graph deltaLink or CalDAV sync-token; None until the first sync.
    sync_token: str | None = Field(default=None, sa_type=sa.Text, nullable=True)
    synced_at: datetime | None = _timestamp(default=None, nullable=True)
    # Incremental syncs never slide the window forward, so a full one runs now and then.
    full_synced_at: datetime | None = _timestamp(default=None, nullable=True)
    # Set while one worker syncs this calendar, so that other workers leave it alone; a
    # worker that dies mid-sync holds it only until it runs out.
    sync_lease_until: datetime | None = _timestamp(default=None, nullable=True)


class ExternalEventLink(SQLModel, table=True):
    """Where a meeting was written, so a reschedule or cancel finds the event."""

    __tablename__ = "external_event_links"
    __table_args__ = (
        sa.UniqueConstraint("meeting_uid", "connection_id", name="uq_external_event_meeting"),
        {"extend_existing": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_uid: str = Field(max_length=200, index=True)
    connection_id: int = Field(foreign_key="calendar_connections.id", ondelete="CASCADE")
    remote_calendar_id: str = Field(max_length=1000)
    remote_event_id: str = Field(max_length=1000)
    created_at: datetime = _timestamp(default_factory=utcnow)


class OAuthPending(SQLModel, table=True):
    """An OAuth link the browser is completing at the provider (valid 10 minutes)."""

    __tablename__ = "oauth_pending"
    __table_args__ = {"extend_existing": True}

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(max_length=128, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    provider: str = Field(max_length=16)
    # Set when relinking: the callback updates this connection instead of adding one.
    connection_id: int | None = Field(
        default=None, foreign_key="calendar_connections.id", ondelete="CASCADE"
    )
    redirect_uri: str = Field(max_length=500)
    code_verifier: str = Field(sa_type=sa.Text)
    created_at: datetime = _timestamp(default_factory=utcnow, index=True)
