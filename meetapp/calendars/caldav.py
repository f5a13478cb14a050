"""CalDAV adapter (iCloud, Fastmail, Nextcloud, Radicale...) over the caldav library."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import caldav
from caldav.elements import dav
from caldav.lib import error

from meetapp.calendars.base import (
    CalendarError,
    EventDraft,
    NeedsRelink,
    RateLimited,
    RemoteCalendar,
    RemoteEvent,
    SyncResult,
    SyncTokenExpired,
    TransientError,
    WrittenEvent,
    sync_with_one_resync,
)
from meetapp.calendars.ical import current_sequence, draft_to_ical, expand_events

T = TypeVar("T")


class CalDavCalendarProvider:
    """A CalDAV account reached with URL, username and password.

    The caldav library is synchronous, so every call runs in a worker thread, one at a
    time: its HTTP session is not meant to be shared between threads.
    """

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        user_timezone: str,
        user_addresses: Iterable[str] = (),
        timeout: int = 30,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = caldav.DAVClient(
            url=url,
            username=username,
            password=password,
            timeout=timeout,
            # The caller gives the full URL; DNS discovery would leave loopback in tests.
            enable_rfc6764=False,
        )
        self._zone = ZoneInfo(user_timezone)
        addresses = set(user_addresses) | ({username} if "@" in username else set())
        self._addresses = frozenset(addresses)
        self._now = now
        self._lock = asyncio.Lock()

    async def list_calendars(self) -> list[RemoteCalendar]:
        """List the principal's calendars; CalDAV knows no primary one."""
        return await self._run(self._list_calendars)

    async def sync_events(
        self, calendar_id: str, sync_token: str | None, window_start: datetime, window_end: datetime
    ) -> SyncResult:
        """Sync with RFC 6578 sync-collection and expand recurrences here.

        A changed resource is reported as deleted (its URL) and upserted (its current
        occurrences), so occurrences that vanished from a series leave the cache too.
        """

        async def incremental() -> SyncResult:
            return await self._run(self._sync, calendar_id, sync_token, window_start, window_end)

        async def full() -> SyncResult:
            return await self._run(self._sync, calendar_id, None, window_start, window_end)

        return await sync_with_one_resync(incremental if sync_token else None, full)

    async def create_event(self, calendar_id: str, draft: EventDraft) -> WrittenEvent:
        """Store the draft under ``UID`` = uid; the same uid again returns that one event."""
        return await self._run(self._create, calendar_id, draft)

    async def update_event(
        self, calendar_id: str, event_id: str, draft: EventDraft
    ) -> WrittenEvent:
        """Overwrite the event with SEQUENCE + 1 so attendees' clients take the change."""
        return await self._run(self._update, calendar_id, event_id, draft)

    async def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete the event; one already gone counts as deleted."""
        await self._run(self._delete, calendar_id, event_id)

    async def revoke(self) -> None:
        """Nothing to revoke: forgetting the app password is all there is."""

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        async with self._lock:
            try:
                return await asyncio.to_thread(fn, *args)
            except error.AuthorizationError as exc:
                if exc.status == 401:
                    raise NeedsRelink("CalDAV server refused the stored password") from exc
                raise CalendarError(f"CalDAV permission denied: {exc.reason}") from exc
            except error.RateLimitError as exc:
                raise RateLimited("CalDAV rate limit", exc.retry_after_seconds) from exc
            except error.DAVError as exc:
                if exc.status is not None and exc.status >= 500:
                    raise TransientError(f"CalDAV server error {exc.status}") from exc
                raise CalendarError(f"CalDAV request failed: {exc.reason}") from exc
            except OSError as exc:  # niquests' connection errors and timeouts are OSErrors
                raise TransientError(f"CalDAV server unreachable: {type(exc).__name__}") from exc

    def _list_calendars(self) -> list[RemoteCalendar]:
        return [
            RemoteCalendar(
                id=str(calendar.url.canonical()),
                name=calendar.get_display_name() or str(calendar.url),
                is_primary=False,
                can_write=True,
                timezone=None,
            )
            for calendar in self._client.principal().calendars()
        ]

    def _sync(
        self, calendar_id: str, token: str | None, window_start: datetime, window_end: datetime
    ) -> SyncResult:
        calendar = self._client.calendar(url=calendar_id)
        try:
            changes = calendar.objects_by_sync_token(
                sync_token=token, load_objects=True, disable_fallback=token is not None
            )
        except error.DAVError as exc:
            if token is not None and (
                dav.ValidSyncToken.tag in exc.preconditions or exc.status in (403, 409, 412)
            ):
                raise SyncTokenExpired("CalDAV sync-token no longer valid") from exc
            raise
        gone = {str(url) for url in changes.deleted_urls}
        upserts: list[RemoteEvent] = []
        deleted: list[str] = []
        for obj in changes.objects:
            url = str(obj.url.canonical())
            if token is not None:
                deleted.append(url)
            if url in gone or not obj.data:
                continue
            upserts += expand_events(
                url, obj.data, window_start, window_end, self._zone, self._addresses
            )
        return SyncResult(upserts, deleted, str(changes.sync_token), full=token is None)

    def _create(self, calendar_id: str, draft: EventDraft) -> WrittenEvent:
        calendar = self._client.calendar(url=calendar_id)
        try:
            existing = calendar.event_by_uid(draft.uid)
        except error.NotFoundError:
            event = calendar.add_event(
                draft_to_ical(draft, 0, self._now()), no_overwrite=True, increase_seqno=False
            )
            return WrittenEvent(str(event.url.canonical()))
        return WrittenEvent(str(existing.url.canonical()))

    def _update(self, calendar_id: str, event_id: str, draft: EventDraft) -> WrittenEvent:
        event = self._client.calendar(url=calendar_id).event_by_url(event_id)
        event.load()
        sequence = current_sequence(event.data) + 1
        event.data = draft_to_ical(draft, sequence, self._now())
        event.save(increase_seqno=False)
        return WrittenEvent(event_id)

    def _delete(self, calendar_id: str, event_id: str) -> None:
        # Built without loading it: fetching first would turn "already gone" into an error.
        event = caldav.Event(
            self._client, url=event_id, parent=self._client.calendar(url=calendar_id)
        )
        with contextlib.suppress(error.NotFoundError):
            event.delete()
