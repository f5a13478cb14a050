"""A grant that stops working: the connection needs relinking, the user is told once."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from sqlmodel import select

import meetapp.services.relink_emails  # noqa: F401  (registers the handler the worker runs)
from meetapp.db import open_session
from meetapp.models import CalendarConnection, OutboxJob
from meetapp.realtime.changes import user_topic
from meetapp.services.calendar_sync import ensure_fresh_busy, sync_user_calendars
from meetapp.services.calendar_writes import upsert_meeting_event
from meetapp.services.outbox import EMAIL_RELINK
from meetapp.services.outbox_worker import deliver_due_jobs
from tests.integration.calendar_service.conftest import NOW, link_oauth
from tests.integration.calendars.conftest import consent


def connection(engine) -> CalendarConnection:
    with open_session(engine) as db:
        return db.exec(select(CalendarConnection)).one()


def relink_jobs(engine) -> list[OutboxJob]:
    with open_session(engine) as db:
        return list(db.exec(select(OutboxJob).where(OutboxJob.kind == EMAIL_RELINK)))


async def run_outbox(engine) -> None:
    # Jobs are stamped with the real clock when enqueued; the worker's "now" must be later.
    await deliver_due_jobs(datetime.now(UTC) + timedelta(minutes=5), engine)


def write_job(user) -> dict:
    return {
        "host_id": user.id,
        "meeting_uid": "meeting-1",
        "title": "Alice and Bob",
        "start": "2026-03-20T15:00:00Z",
        "end": "2026-03-20T15:30:00Z",
    }


def plain_text(envelope) -> tuple[str, str]:
    email = message_from_bytes(envelope.content, policy=policy.default)
    return email["Subject"], email.get_body(("plain",)).get_content()


def break_the_grant(emulator) -> None:
    """The user revokes our access at the provider; our access token runs out."""
    emulator.revoke_grants()
    emulator.expire_access_tokens()
    emulator.reset_counts()


async def test_revoked_consent_tells_the_user_once_and_stops_calling(
    browser, http, google, engine, user, mailbox, published
):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    break_the_grant(emulator)

    # The sync and a calendar write fail together: one transition, one notice.
    outcome, _ = await asyncio.gather(
        sync_user_calendars(user.id, NOW, engine), upsert_meeting_event(write_job(user), engine)
    )

    assert outcome.errors
    assert connection(engine).status == "needs_relink"
    assert "invalid_grant" in connection(engine).status_detail
    assert len(relink_jobs(engine)) == 1
    assert any(user_topic(user.id) in batch for batch in published)
    calls = sum(emulator.counts.values())
    await sync_user_calendars(user.id, NOW + timedelta(minutes=10), engine)
    await ensure_fresh_busy(user.id, NOW + timedelta(minutes=20), engine)
    await upsert_meeting_event(write_job(user), engine)
    assert sum(emulator.counts.values()) == calls  # no retry loop against the provider
    assert len(relink_jobs(engine)) == 1

    await run_outbox(engine)

    (envelope,) = mailbox.envelopes
    assert envelope.rcpt_tos == [user.email]
    subject, text = plain_text(envelope)
    assert subject == "Reconnect your Google calendar"
    assert "meetapp can no longer reach your Google calendar (alice@example.com)." in text
    relink = re.search(r"Reconnect: (\S+)", text)[1]
    assert (
        relink == f"http://app.test/calendars/oauth/google/start?connection={connection(engine).id}"
    )
    assert "Manage calendars: http://app.test/calendars" in text


async def test_the_emailed_link_relinks_and_a_new_breakage_is_told_again(
    browser, http, microsoft, engine, user, mailbox
):
    emulator, _ = microsoft
    await link_oauth(browser, http, "microsoft")
    break_the_grant(emulator)
    await sync_user_calendars(user.id, NOW, engine)
    await run_outbox(engine)
    relink = re.search(r"Reconnect: (\S+)", plain_text(mailbox.envelopes[0])[1])[1]

    to_provider = await browser.get(relink)  # one click, signed in
    back = await consent(http, to_provider.headers["location"])
    await browser.get("/calendars/oauth/microsoft/callback", params=back)

    assert connection(engine).status == "active"
    break_the_grant(emulator)
    await sync_user_calendars(user.id, NOW + timedelta(minutes=10), engine)
    await run_outbox(engine)
    assert len(mailbox.envelopes) == 2
    assert plain_text(mailbox.envelopes[1])[0] == "Reconnect your Microsoft calendar"


async def test_no_email_once_the_user_relinked_first(browser, http, google, engine, user, mailbox):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    break_the_grant(emulator)
    await sync_user_calendars(user.id, NOW, engine)

    await link_oauth(browser, http, "google", connection(engine).id)  # from the banner
    await run_outbox(engine)

    assert connection(engine).status == "active"
    assert mailbox.envelopes == []
    assert all(job.done_at for job in relink_jobs(engine))
