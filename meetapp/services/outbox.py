"""Durable work for outside systems (calendar writes, emails).

`enqueue` is called inside the transaction of the change that needs the work,
so the job exists exactly when the change does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import Session

from meetapp.models import OutboxJob

CALENDAR_UPSERT = "calendar.upsert"
CALENDAR_DELETE = "calendar.delete"
EMAIL_MEETING = "email.meeting"
EMAIL_RELINK = "email.relink"


def enqueue(db: Session, kind: str, payload: dict, ordering_key: str = "") -> OutboxJob:
    """Record a job to deliver after the surrounding transaction commits.

    Args:
        db: The session of the change that needs the job.
        kind: One of the kinds above.
        payload: JSON-serializable data the job needs; self-contained.
        ordering_key: Jobs sharing a key are delivered in creation order.

    Returns:
        The job (flushed, so it has an id).
    """
    job = OutboxJob(kind=kind, payload=payload, ordering_key=ordering_key)
    db.add(job)
    db.flush()
    return job


class RetryLater(Exception):
    """Raised by a handler when the job should be tried again later.

    Args:
        delay_seconds: When to retry (e.g. a provider's Retry-After); None = backoff.
    """

    def __init__(self, message: str, delay_seconds: float | None = None) -> None:
        super().__init__(message)
        self.delay_seconds = delay_seconds


Handler = Callable[[dict], Awaitable[None]]
_handlers: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    """Deliver jobs of `kind` with `handler(payload)`.

    A handler returns on success, raises `RetryLater` (or any exception) to be
    retried with backoff; it must be idempotent because a crash between doing
    the work and marking the job done repeats it.
    """
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    """The handler registered for `kind`, if any."""
    return _handlers.get(kind)
