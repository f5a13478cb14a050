"""Keeping the local busy cache (``ExternalBusy``) in step with linked calendars.

The picker only ever reads the cache; ``ensure_fresh_busy`` touches a provider only for
calendars whose cache is stale, and never waits longer than the short timeout.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, or_, select, update

from meetapp.calendars.base import CalendarError, NeedsRelink, SyncResult
from meetapp.config import get_settings
from meetapp.db import open_session
from meetapp.models import (
    CalendarConnection,
    ExternalBusy,
    ExternalEventLink,
    LinkedCalendar,
    User,
    utcnow,
)
from meetapp.realtime.changes import mark_changed, user_topic
from meetapp.services.calendar_accounts import ACTIVE, mark_needs_relink, open_provider

log = logging.getLogger(__name__)

WINDOW_BEFORE = timedelta(days=1)
WINDOW_AFTER = timedelta(days=90)
# Incremental syncs keep the first window; a periodic full sync slides it forward.
FULL_SYNC_EVERY = timedelta(days=7)
LOOP_INTERVAL_SECONDS = 60
LOOP_TIMEOUT_SECONDS = 30.0
# A sync lease outlives the provider timeout by this much (the writes after the reads).
LEASE_MARGIN = timedelta(seconds=30)
_user_locks: dict[int, asyncio.Lock] = {}


@dataclass
class SyncOutcome:
    """What one sync pass did: calendars synced, and errors by connection id."""

    synced: int = 0
    errors: dict[int, str] = field(default_factory=dict)


def busy_ref(connection_id: int, calendar_id: int) -> str:
    """The ``ExternalBusy.calendar_ref`` of a linked calendar."""
    return f"{connection_id}:{calendar_id}"


def _of_connection(connection_id: int) -> ColumnElement[bool]:
    """Matches cached busy rows of any calendar of the connection (see ``busy_ref``)."""
    return col(ExternalBusy.calendar_ref).startswith(f"{connection_id}:")


def forget_busy(db: Session, connection_id: int, calendar_id: int | None = None) -> None:
    """Drop cached busy times of one calendar, or of every calendar of a connection."""
    if calendar_id is None:
        match = _of_connection(connection_id)
    else:
        match = col(ExternalBusy.calendar_ref) == busy_ref(connection_id, calendar_id)
    db.exec(delete(ExternalBusy).where(match))


def forget_busy_event(db: Session, connection_id: int, event_id: str) -> None:
    """Drop one event's cached busy time from every calendar of a connection.

    For a meeting's own event, once we know its id: a sync that ran between the
    provider creating it and us remembering it took it for someone else's event.
    """
    db.exec(
        delete(ExternalBusy).where(
            _of_connection(connection_id), col(ExternalBusy.event_id) == event_id
        )
    )


def _cache_age() -> timedelta:
    return timedelta(minutes=get_settings().calendar_cache_minutes)


def _stale(
    db: Session, user_id: int, now: datetime, max_age: timedelta | None
) -> list[tuple[CalendarConnection, LinkedCalendar]]:
    """Checked calendars of working connections whose cache is older than ``max_age``."""
    query = (
        select(CalendarConnection, LinkedCalendar)
        .join(LinkedCalendar, col(LinkedCalendar.connection_id) == CalendarConnection.id)
        .where(
            CalendarConnection.user_id == user_id,
            CalendarConnection.status == ACTIVE,
            col(LinkedCalendar.check_conflicts).is_(True),
        )
        .order_by(col(LinkedCalendar.id))
    )
    if max_age is not None:
        query = query.where(
            or_(
                col(LinkedCalendar.synced_at).is_(None),
                col(LinkedCalendar.synced_at) < now - max_age,
            )
        )
    return list(db.exec(query).all())


def cache_is_fresh(db: Session, user_id: int, now: datetime) -> bool:
    """Tell whether every checked calendar was synced within the cache lifetime.

    Connections that need relinking do not count: nothing can refresh them.
    """
    return not _stale(db, user_id, now, _cache_age())


async def ensure_fresh_busy(user_id: int, now: datetime, engine: Engine | None = None) -> bool:
    """Sync the user's stale calendars (only those) before the picker reads the cache.

    Makes no provider call when the cache is fresh; otherwise waits at most the short
    ``calendar_timeout_seconds``; a calendar that fails keeps its last good cache.

    Returns:
        True when the cache is fresh afterwards.
    """
    with open_session(engine) as db:
        if cache_is_fresh(db, user_id, now):
            return True
    await sync_user_calendars(user_id, now, engine)
    with open_session(engine) as db:
        return cache_is_fresh(db, user_id, now)


async def sync_user_calendars(
    user_id: int,
    now: datetime,
    engine: Engine | None = None,
    force: bool = False,
    provider_timeout: float | None = None,
    max_age: timedelta | None = None,
) -> SyncOutcome:
    """Incrementally sync the user's checked calendars whose cache is stale.

    Args:
        user_id: Whose calendars.
        now: The current time (aware UTC).
        engine: The database; the configured one by default.
        force: Sync every checked calendar, however fresh.
        provider_timeout: Seconds each account may take; ``calendar_timeout_seconds`` by default.
        max_age: Cache age that counts as stale; ``calendar_cache_minutes`` by default.

    Returns:
        How many calendars were synced and which connections failed.
    """
    settings = get_settings()
    timeout = provider_timeout or settings.calendar_timeout_seconds
    lock = _user_locks.setdefault(user_id, asyncio.Lock())
    async with lock:
        # Re-read under the lock: a concurrent pass may have just refreshed everything.
        with open_session(engine) as db:
            user = db.get(User, user_id)
            pairs = _stale(db, user_id, now, None if force else (max_age or _cache_age()))
        # Other workers may be syncing some of them right now: leave those to them.
        lease = timedelta(seconds=timeout) + LEASE_MARGIN
        taken = _take_leases(engine, [calendar.id for _, calendar in pairs], now, lease)
        by_connection: dict[int, tuple[CalendarConnection, list[LinkedCalendar]]] = {}
        for connection, calendar in pairs:
            if calendar.id in taken:
                by_connection.setdefault(connection.id, (connection, []))[1].append(calendar)
        outcome = SyncOutcome()
        await asyncio.gather(
            *(
                _sync_connection(conn, cals, user, now, engine, timeout, outcome)
                for conn, cals in by_connection.values()
            )
        )
        return outcome


def _take_leases(
    engine: Engine | None, calendar_ids: list[int], now: datetime, lease: timedelta
) -> set[int]:
    """Take the sync lease of each calendar no other worker holds; return the ids taken.

    One conditional UPDATE per calendar: of two workers racing for a calendar, exactly
    one changes its row.
    """
    taken: set[int] = set()
    if not calendar_ids:
        return taken  # nothing stale: no transaction needed
    with open_session(engine) as db:
        for calendar_id in calendar_ids:
            changed = db.exec(
                update(LinkedCalendar)
                .where(
                    col(LinkedCalendar.id) == calendar_id,
                    or_(
                        col(LinkedCalendar.sync_lease_until).is_(None),
                        col(LinkedCalendar.sync_lease_until) <= now,
                    ),
                )
                .values(sync_lease_until=now + lease)
            ).rowcount
            if changed:
                taken.add(calendar_id)
    return taken


async def _sync_connection(
    connection: CalendarConnection,
    calendars: list[LinkedCalendar],
    user: User,
    now: datetime,
    engine: Engine | None,
    limit: float,
    outcome: SyncOutcome,
) -> None:
    error = ""
    try:
        async with asyncio.timeout(limit):
            async with open_provider(
                connection, user, request_timeout=limit, engine=engine
            ) as provider:
                for calendar in calendars:
                    full_due = calendar.full_synced_at is None or (
                        calendar.full_synced_at < now - FULL_SYNC_EVERY
                    )
                    result = await provider.sync_events(
                        calendar.remote_id,
                        None if full_due else calendar.sync_token,
                        now - WINDOW_BEFORE,
                        now + WINDOW_AFTER,
                    )
                    with open_session(engine) as db:
                        _apply(db, user.id, connection.id, calendar.id, result, now)
                    outcome.synced += 1
    except NeedsRelink as exc:
        # No retry loop: the connection stays off until the user relinks it.
        mark_needs_relink(engine, connection.id, str(exc))
        error = "This account needs to be linked again."
    except TimeoutError:
        error = f"The calendar did not answer within {limit:g} seconds."
    except CalendarError as exc:
        log.warning("sync of connection %s failed: %s", connection.id, exc)
        error = "The calendar could not be read; busy times are from the last good sync."
    if error:
        outcome.errors[connection.id] = error
    _record(engine, connection.id, [c.id for c in calendars], now, error)


def _record(
    engine: Engine | None, connection_id: int, calendar_ids: list[int], now: datetime, error: str
) -> None:
    """Note how the connection's sync went, and hand its calendars' leases back."""
    with open_session(engine) as db:
        db.exec(
            update(LinkedCalendar)
            .where(col(LinkedCalendar.id).in_(calendar_ids))
            .values(sync_lease_until=None)
        )
        connection = db.get(CalendarConnection, connection_id)
        if connection is None:
            return
        if connection.last_sync_error != error[:500]:
            # The user's open tabs show or clear the "could not be read" banner; a
            # repeat of the same failure changes nothing on screen.
            mark_changed(db, [user_topic(connection.user_id)])
        connection.last_sync_error = error[:500]
        if not error:
            connection.last_synced_at = now
        db.add(connection)


def _meeting_event_ids(db: Session, connection_id: int, remote_calendar_id: str) -> set[str]:
    """Ids of the events we wrote into this calendar for meetings.

    The meetings themselves already count as busy; their copies must not, or a meeting
    being rescheduled would block its own time, and a cancelled one would keep blocking
    until the deletion is synced.
    """
    return set(
        db.exec(
            select(ExternalEventLink.remote_event_id).where(
                ExternalEventLink.connection_id == connection_id,
                ExternalEventLink.remote_calendar_id == remote_calendar_id,
            )
        )
    )


def _apply(
    db: Session, user_id: int, connection_id: int, calendar_id: int, result: SyncResult, now
) -> None:
    """Write one sync result: deletions first, then upserts of events that block time."""
    calendar = db.get(LinkedCalendar, calendar_id)
    if calendar is None or not calendar.check_conflicts:
        return  # disconnected or unchecked while we were syncing
    ref = busy_ref(connection_id, calendar_id)
    rows = {
        r.event_id: r for r in db.exec(select(ExternalBusy).where(ExternalBusy.calendar_ref == ref))
    }
    doomed = {eid for eid in rows if result.full or result.removes(eid)}
    ours = _meeting_event_ids(db, connection_id, calendar.remote_id)
    for event in result.upserts:
        if not event.blocks_time or event.id in ours:
            doomed.add(event.id)
            continue
        row = rows.get(event.id)
        if row is None:
            row = rows[event.id] = ExternalBusy(
                user_id=user_id,
                calendar_ref=ref,
                event_id=event.id,
                start=event.start,
                end=event.end,
            )
        row.start, row.end = event.start, event.end
        doomed.discard(event.id)
        db.add(row)
    for event_id in doomed:
        if (row := rows.get(event_id)) is not None and row.id is not None:
            db.delete(row)
    calendar.sync_token = result.next_sync_token or None
    calendar.synced_at = now
    if result.full:
        calendar.full_synced_at = now
    db.add(calendar)


async def run_calendar_sync_loop(app: object = None) -> None:
    """Lifespan task: keep every linked user's cache fresh, once a minute.

    Refreshes a little before the cache would go stale, so the picker normally finds it
    fresh and makes no provider call.

    Args:
        app: The Reflex app (unused; lifespan tasks may receive it).
    """
    max_age = max(_cache_age() - timedelta(seconds=LOOP_INTERVAL_SECONDS), timedelta(0))
    while True:
        try:
            with open_session() as db:
                user_ids = db.exec(
                    select(CalendarConnection.user_id)
                    .where(CalendarConnection.status == ACTIVE)
                    .distinct()
                ).all()
            for user_id in user_ids:
                await sync_user_calendars(
                    user_id, utcnow(), provider_timeout=LOOP_TIMEOUT_SECONDS, max_age=max_age
                )
        except Exception:  # one bad pass must not stop future ones
            log.exception("calendar sync pass failed")
        await asyncio.sleep(LOOP_INTERVAL_SECONDS)
