"""The one interface every calendar provider implements, its value types and errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

# Google names expanded instances "<series id>_<original start>"; the CalDAV adapter follows
# the same convention so a deleted series id also removes every cached instance of it.
INSTANCE_SEPARATOR = "_"


@dataclass(frozen=True)
class RemoteCalendar:
    """A calendar of a linked account."""

    id: str
    name: str
    is_primary: bool
    can_write: bool
    timezone: str | None


@dataclass(frozen=True)
class RemoteEvent:
    """One concrete occurrence of an event, with aware UTC bounds.

    Events that do not block time (free, cancelled, declined) are reported too, with
    ``blocks_time=False``, so an incremental sync can overwrite a previously busy copy.
    """

    id: str
    start: datetime
    end: datetime
    blocks_time: bool
    all_day: bool


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one sync: apply ``deleted_ids`` first, then ``upserts``.

    When ``full`` is true the result replaces everything cached for the calendar.
    """

    upserts: list[RemoteEvent]
    deleted_ids: list[str]
    next_sync_token: str
    full: bool

    def removes(self, event_id: str) -> bool:
        """Tell whether this result deletes a cached event.

        Args:
            event_id: The id of a cached ``RemoteEvent``.

        Returns:
            True when the id is deleted itself or is an instance of a deleted series.
        """
        deleted = set(self.deleted_ids)
        series_id = event_id.rsplit(INSTANCE_SEPARATOR, 1)[0]
        return event_id in deleted or (series_id != event_id and series_id in deleted)


@dataclass(frozen=True)
class EventDraft:
    """A meeting to write into an external calendar; ``uid`` is our stable meeting id.

    With ``want_conference`` the provider is asked to create its own video meeting
    (Google Meet, Teams); otherwise ``join_url`` is put in the event's location.
    """

    uid: str
    title: str
    description: str
    start: datetime
    end: datetime
    attendee_emails: list[str] = field(default_factory=list)
    join_url: str | None = None
    want_conference: bool = False


@dataclass(frozen=True)
class WrittenEvent:
    """Where a draft landed: the provider's event id, and its conference link if it made one."""

    event_id: str
    conference_url: str | None = None


class CalendarProvider(Protocol):
    """What the service layer needs from any calendar account."""

    async def list_calendars(self) -> list[RemoteCalendar]:
        """List the account's calendars."""
        ...

    async def sync_events(
        self,
        calendar_id: str,
        sync_token: str | None,
        window_start: datetime,
        window_end: datetime,
    ) -> SyncResult:
        """Fetch changes since ``sync_token`` (everything in the window when None)."""
        ...

    async def create_event(self, calendar_id: str, draft: EventDraft) -> WrittenEvent:
        """Create the draft; creating the same ``draft.uid`` twice yields one event."""
        ...

    async def update_event(
        self, calendar_id: str, event_id: str, draft: EventDraft
    ) -> WrittenEvent:
        """Overwrite a written event with the draft."""
        ...

    async def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete an event; an event that is already gone counts as deleted."""
        ...

    async def revoke(self) -> None:
        """Revoke our access where the provider allows it (best effort)."""
        ...


class CalendarError(Exception):
    """Base of every error an adapter raises."""


class NeedsRelink(CalendarError):
    """The stored grant or password no longer works: the user must link again."""


class RateLimited(CalendarError):
    """The provider asked us to slow down."""

    def __init__(self, message: str, retry_after_seconds: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class TransientError(CalendarError):
    """A server error, timeout or network failure worth retrying later."""


class SyncTokenExpired(CalendarError):
    """The provider forgot the sync token; adapters answer it with one full resync."""


def all_day_bounds(first_day: date, end_day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Turn an all-day span into the UTC bounds of the user's local days.

    Args:
        first_day: The first day of the event.
        end_day: The day after the last day (exclusive, as all three providers send it).
        zone: The user's time zone.

    Returns:
        Aware UTC datetimes for local midnight of ``first_day`` and of ``end_day``.
    """
    end_day = max(end_day, first_day + timedelta(days=1))
    start = datetime.combine(first_day, time(), zone).astimezone(UTC)
    end = datetime.combine(end_day, time(), zone).astimezone(UTC)
    return start, end


async def sync_with_one_resync(
    incremental: Callable[[], Awaitable[SyncResult]] | None,
    full: Callable[[], Awaitable[SyncResult]],
) -> SyncResult:
    """Run an incremental sync, falling back to exactly one full sync.

    Args:
        incremental: The token-based sync, or None when there is no token yet.
        full: The full sync of the window.

    Returns:
        The incremental result, or the full one (``full=True``) when the token expired.
    """
    if incremental is not None:
        try:
            return await incremental()
        except SyncTokenExpired:
            pass
    return await full()
