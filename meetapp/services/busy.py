"""Busy times from a user's linked calendars, read from the local cache."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from meetapp.models import CalendarConnection, ExternalBusy


def external_busy(
    db: Session, user_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Cached busy intervals of `user_id` that overlap [start, end), sorted.

    Args:
        db: Database session.
        user_id: Whose calendars.
        start: Window start (aware UTC).
        end: Window end (aware UTC).

    Returns:
        (start, end) pairs; no provider is called.
    """
    rows = db.exec(
        select(ExternalBusy.start, ExternalBusy.end)
        .where(
            ExternalBusy.user_id == user_id,
            col(ExternalBusy.start) < end,
            col(ExternalBusy.end) > start,
        )
        .order_by(col(ExternalBusy.start))
    )
    return [(s, e) for s, e in rows]


def has_calendar_connection(db: Session, user_id: int) -> bool:
    """Whether the user has linked any calendar account (the wizard skips its first step)."""
    query = select(CalendarConnection.id).where(CalendarConnection.user_id == user_id)
    return db.exec(query).first() is not None
