import asyncio
import itertools
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import col, select

from meetapp import config
from meetapp import db as meetapp_db
from meetapp.db import create_db_engine, open_session
from meetapp.models import Message, OutboxJob, ReminderSent
from meetapp.services import booking, outbox
from meetapp.services.meeting_reminders import send_due_reminders
from meetapp.services.outbox_worker import LEASE, MAX_ATTEMPTS, _claim, deliver_due_jobs

from .conftest import NOW, at

_kinds = itertools.count()
# Jobs are stamped with the real clock when enqueued; the worker's "now" must be later.
T0 = datetime.now(UTC) + timedelta(minutes=5)


def _kind(handler) -> str:
    """Register `handler` under a fresh kind, so tests never see each other's handlers."""
    kind = f"test.kind{next(_kinds)}"
    outbox.register_handler(kind, handler)
    return kind


def _enqueue(engine, kind, payloads, key=""):
    with open_session(engine) as db:
        return [outbox.enqueue(db, kind, p, ordering_key=key).id for p in payloads]


def _job(engine, job_id) -> OutboxJob:
    with open_session(engine) as db:
        return db.get(OutboxJob, job_id)


async def test_due_jobs_are_delivered_and_marked_done(engine):
    seen = []

    async def handler(payload):
        seen.append(payload["n"])

    ids = _enqueue(engine, _kind(handler), [{"n": 1}, {"n": 2}, {"n": 3}])
    assert await deliver_due_jobs(T0, engine) == 3
    assert seen == [1, 2, 3]
    assert all(_job(engine, i).done_at == T0 for i in ids)
    assert await deliver_due_jobs(T0, engine) == 0


async def test_retry_later_uses_its_delay_and_other_errors_back_off(engine):
    calls = []

    async def flaky(payload):
        calls.append(payload)
        if len(calls) == 1:
            raise outbox.RetryLater("rate limited", delay_seconds=90)

    (job_id,) = _enqueue(engine, _kind(flaky), [{}])
    assert await deliver_due_jobs(T0, engine) == 0
    job = _job(engine, job_id)
    assert (job.attempts, job.next_attempt_at) == (1, T0 + timedelta(seconds=90))
    assert job.last_error == "RetryLater: rate limited"
    assert await deliver_due_jobs(T0 + timedelta(seconds=60), engine) == 0
    assert await deliver_due_jobs(T0 + timedelta(seconds=90), engine) == 1
    assert len(calls) == 2

    async def broken(payload):
        raise ValueError("token=very-secret")

    (job_id,) = _enqueue(engine, _kind(broken), [{}])
    now, delays = T0, []
    for _ in range(MAX_ATTEMPTS):
        await deliver_due_jobs(now, engine)
        job = _job(engine, job_id)
        if job.failed_at is None:
            delays.append((job.next_attempt_at - now).total_seconds())
            now = job.next_attempt_at
    assert job.attempts == MAX_ATTEMPTS
    assert job.failed_at == now
    assert job.last_error == "ValueError"  # never the exception text
    assert 27 <= delays[0] <= 33
    assert 54 <= delays[1] <= 66
    assert 108 <= delays[2] <= 132
    assert max(delays) <= 3600
    assert delays[-1] >= 3600 * 0.9


async def test_jobs_with_one_key_run_in_order(engine):
    order = []
    state = {"fail_first": True}

    async def handler(payload):
        if payload["n"] == 1 and state.pop("fail_first", False):
            raise outbox.RetryLater("later", delay_seconds=60)
        order.append(payload["n"])

    kind = _kind(handler)
    _enqueue(engine, kind, [{"n": 1}, {"n": 2}], key="meeting:x")
    _enqueue(engine, kind, [{"n": 9}], key="meeting:other")
    assert await deliver_due_jobs(T0, engine) == 1
    assert order == [9]  # 2 waits for 1, which waits for its retry
    assert await deliver_due_jobs(T0 + timedelta(seconds=60), engine) == 1
    assert await deliver_due_jobs(T0 + timedelta(seconds=60), engine) == 1
    assert order == [9, 1, 2]


async def test_jobs_survive_a_restart_and_a_crashed_worker(sqlite_url):
    first = create_db_engine(sqlite_url)
    seen = []

    async def handler(payload):
        seen.append(payload)

    kind = _kind(handler)
    _enqueue(first, kind, [{"n": 1}])
    _claim(first, T0, 10)  # a worker claims the job, then dies
    first.dispose()

    second = create_db_engine(sqlite_url)
    assert await deliver_due_jobs(T0, second) == 0  # still leased
    assert await deliver_due_jobs(T0 + LEASE, second) == 1
    assert seen == [{"n": 1}]
    second.dispose()


async def _workers_never_share_a_job(engine):
    runs = []

    async def slow(payload):
        runs.append(payload["n"])
        await asyncio.sleep(0.01)

    _enqueue(engine, _kind(slow), [{"n": n} for n in range(30)])
    results = await asyncio.gather(*(deliver_due_jobs(T0, engine, limit=7) for _ in range(4)))
    while sum(results) < 30:
        results.append(await deliver_due_jobs(T0, engine))
    assert sorted(runs) == list(range(30))


async def test_workers_never_share_a_job_on_sqlite(engine):
    await _workers_never_share_a_job(engine)


async def test_workers_never_share_a_job_on_postgres(pg_engine):
    await _workers_never_share_a_job(pg_engine)


class _Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def mail_env(monkeypatch, sqlite_url):
    """Point the settings (and the default engine) at the test database."""
    monkeypatch.setenv("MEETAPP_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEETAPP_SMTP_STARTTLS", "false")
    monkeypatch.setenv("MEETAPP_MAIL_FROM", "noreply@meetapp.test")
    monkeypatch.delenv("MEETAPP_SMTP_HOST", raising=False)

    def reload():
        config.get_settings.cache_clear()
        meetapp_db.get_engine.cache_clear()

    reload()
    yield monkeypatch, reload
    monkeypatch.undo()
    meetapp_db.get_engine().dispose()
    reload()


def _email_jobs(engine):
    with open_session(engine) as db:
        query = select(OutboxJob).where(OutboxJob.kind == outbox.EMAIL_MEETING)
        return list(db.exec(query.order_by(col(OutboxJob.id))))


async def test_meeting_emails_go_out_through_smtp(world, mail_env):
    import meetapp.services.meeting_emails  # noqa: F401  (registers the handler)

    monkeypatch, reload = mail_env
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("MEETAPP_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("MEETAPP_SMTP_PORT", str(port))
        reload()
        invite = world.share()
        meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
        await deliver_due_jobs(T0, world.engine)
    finally:
        controller.stop()
    assert all(job.done_at == T0 for job in _email_jobs(world.engine))
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == ["ana@x.io", "ben@x.io"]
    message = message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    assert message["Subject"].startswith("Invitation: Ana and Ben @ ")
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert f"UID:{meeting.uid}" in calendar.get_content()


async def test_without_an_smtp_host_emails_are_skipped(world, mail_env):
    import meetapp.services.meeting_emails  # noqa: F401

    invite = world.share()
    booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    await deliver_due_jobs(T0, world.engine)
    jobs = _email_jobs(world.engine)
    assert len(jobs) == 2
    assert all(job.done_at == T0 for job in jobs)


async def test_reminders_are_posted_once_per_offset(world):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    assert await send_due_reminders(NOW, world.engine) == 0
    day_before = at("2026-03-02T15:00")
    assert await send_due_reminders(day_before, world.engine) == 1
    assert await send_due_reminders(day_before + timedelta(minutes=1), world.engine) == 0
    with open_session(world.engine) as db:
        last = db.exec(select(Message).order_by(col(Message.id).desc())).first()
        assert (last.body, last.event_at) == ("Reminder: meeting {when}", meeting.start)
    reminders = [j.payload for j in _email_jobs(world.engine) if j.payload.get("reminder_minutes")]
    assert sorted(p["recipient_user_id"] for p in reminders) == [world.ana.id, world.ben.id]
    assert {p["reminder_minutes"] for p in reminders} == {1440}
    assert await send_due_reminders(at("2026-03-03T14:50"), world.engine) == 1
    # Rescheduling forgets the sent reminders: the new time gets its own.
    booking.reschedule(meeting.id, world.ben, at("2026-03-04T15:00"), "", NOW, world.engine)
    with open_session(world.engine) as db:
        assert db.exec(select(ReminderSent)).all() == []
