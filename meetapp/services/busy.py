"""Busy times from a user's linked calendars, read from the local cache."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from meetapp.models import ExternalBusy


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
