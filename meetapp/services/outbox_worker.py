"""The outbox worker: delivers due jobs with retries, backoff and per-key ordering.

Several workers (processes or hosts) may run at once. A job is claimed by pushing its
`next_attempt_at` forward by a lease inside one transaction (rows locked with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite), so no two workers run
it together; if a worker dies mid-job, the lease runs out and the job is tried again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import col, exists, or_, select

from meetapp.db import open_session
from meetapp.models import OutboxJob, utcnow
from meetapp.services.outbox import RetryLater, handler_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
# Longer than any handler may take (JOB_TIMEOUT), so a live worker never loses its claim.
LEASE = timedelta(minutes=5)
JOB_TIMEOUT = 120.0
POLL_SECONDS = 2.0


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 30 s doubling, capped at 1 h.

    Jitter (+-10 %) keeps many jobs that failed together from retrying together.
    """
    base = min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    return min(base * random.uniform(0.9, 1.1), MAX_BACKOFF)


def _claim(engine: Engine | None, now: datetime, limit: int) -> list[tuple[int, str, dict]]:
    older = aliased(OutboxJob)
    waiting_for_older = exists().where(
        older.ordering_key == OutboxJob.ordering_key,
        older.id < OutboxJob.id,
        col(older.done_at).is_(None),
        col(older.failed_at).is_(None),
    )
    query = (
        select(OutboxJob)
        .where(
            col(OutboxJob.done_at).is_(None),
            col(OutboxJob.failed_at).is_(None),
            OutboxJob.next_attempt_at <= now,
            or_(OutboxJob.ordering_key == "", ~waiting_for_older),
        )
        .order_by(col(OutboxJob.id))
        .limit(limit)
    )
    with open_session(engine) as db:
        if db.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=OutboxJob)
        jobs = list(db.exec(query))
        for job in jobs:
            job.attempts += 1
            job.next_attempt_at = now + LEASE
            db.add(job)
        return [(job.id, job.kind, dict(job.payload)) for job in jobs]


def _describe(error: BaseException) -> str:
    # Exception texts may quote URLs, tokens or server replies; only our own
    # RetryLater messages are written deliberately, so only those are kept.
    if isinstance(error, RetryLater):
        return f"RetryLater: {error}"[:500]
    return type(error).__name__


def _record(engine: Engine | None, job_id: int, now: datetime, error: BaseException | None) -> None:
    with open_session(engine) as db:
        job = db.get(OutboxJob, job_id)
        if error is None:
            job.done_at = now
            job.last_error = ""
        else:
            job.last_error = _describe(error)
            delay = getattr(error, "delay_seconds", None)
            if job.attempts >= MAX_ATTEMPTS:
                job.failed_at = now
            elif delay is not None:
                job.next_attempt_at = now + timedelta(seconds=max(delay, 0))
            else:
                job.next_attempt_at = now + backoff(job.attempts)
        db.add(job)


async def _run(kind: str, payload: dict) -> BaseException | None:
    handler = handler_for(kind)
    if handler is None:
        return LookupError(f"no handler for {kind}")
    try:
        await asyncio.wait_for(handler(payload), JOB_TIMEOUT)
    except Exception as error:  # every failure is retried; the worker must go on
        if not isinstance(error, RetryLater):
            logger.warning("outbox job of kind %s failed: %s", kind, type(error).__name__)
        return error
    return None


async def deliver_due_jobs(now: datetime, engine: Engine | None = None, limit: int = 20) -> int:
    """Claim up to `limit` due jobs and run their handlers, one after another.

    Args:
        now: The current time (aware UTC); jobs due at or before it run.
        engine: Database engine; the configured one by default.
        limit: Most jobs to claim in this round.

    Returns:
        How many jobs were delivered successfully.
    """
    claimed = await asyncio.to_thread(_claim, engine, now, limit)
    delivered = 0
    for job_id, kind, payload in claimed:
        error = await _run(kind, payload)
        await asyncio.to_thread(_record, engine, job_id, now, error)
        delivered += error is None
    return delivered


async def run_outbox_worker(app: object = None) -> None:
    """Deliver outbox jobs and meeting reminders every 2 seconds, forever.

    A Reflex lifespan task (``app.register_lifespan_task(run_outbox_worker)``). It imports
    the modules that register the job handlers (calendar writes, meeting and relink emails).

    Args:
        app: The app Reflex passes to lifespan tasks (unused).
    """
    import meetapp.services.calendar_writes
    import meetapp.services.meeting_emails
    import meetapp.services.relink_emails  # noqa: F401  (registers its handler)
    from meetapp.services.meeting_reminders import send_due_reminders

    del app
    while True:
        try:
            await send_due_reminders(utcnow())
            while await deliver_due_jobs(utcnow()):
                pass  # a full batch may mean more are waiting
        except Exception:  # a database hiccup must not end the worker for good
            logger.exception("outbox round failed")
        await asyncio.sleep(POLL_SECONDS)
