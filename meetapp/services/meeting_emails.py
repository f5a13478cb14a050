"""The `email.meeting` outbox handler: one invite, update or cancellation email per person.

The job names the meeting and recipient; the email is built from the meeting as it is
when sent. Without `MEETAPP_SMTP_HOST` emails are disabled: the job is logged and done.
"""

from __future__ import annotations

import asyncio
import logging
from email.message import EmailMessage

from meetapp.config import Settings, get_settings
from meetapp.db import open_session
from meetapp.models import Meeting, User
from meetapp.notifications.email import SmtpSettings, build_meeting_email, send_email
from meetapp.notifications.meeting import Person
from meetapp.services.meeting_events import meeting_invite
from meetapp.services.outbox import EMAIL_MEETING, register_handler

logger = logging.getLogger(__name__)


def smtp_settings(settings: Settings) -> SmtpSettings:
    """The SMTP connection described by the environment (see meetapp.config)."""
    return SmtpSettings(
        host=settings.smtp_host or "",
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        sender=settings.mail_from,
    )


def _build(payload: dict, sender: str) -> EmailMessage | None:
    with open_session() as db:
        meeting = db.get(Meeting, payload["meeting_id"])
        recipient = db.get(User, payload["recipient_user_id"])
        if meeting is None or recipient is None:
            return None  # deleted since: nothing left to tell anyone
        actor = db.get(User, payload.get("actor_user_id") or meeting.booker_id)
        invite = meeting_invite(db, meeting, actor)
        message = build_meeting_email(
            invite,
            Person(recipient.name, recipient.email),
            payload["method"],
            sender,
            recipient.timezone,
        )
    if payload.get("reminder_minutes"):
        message.replace_header("Subject", f"Reminder: {message['Subject']}")
    return message


async def send_meeting_email(payload: dict) -> None:
    """Send one meeting email (the handler of `email.meeting` jobs).

    Args:
        payload: {"meeting_id", "recipient_user_id", "method": "REQUEST"|"CANCEL",
            "actor_user_id"?, "reminder_minutes"?}.

    Raises:
        smtplib.SMTPException, OSError: The server failed; the job is retried.
    """
    settings = get_settings()
    if not settings.smtp_host:
        logger.info("emails disabled (no MEETAPP_SMTP_HOST); skipping a meeting email")
        return
    message = await asyncio.to_thread(_build, payload, settings.mail_from)
    if message is None:
        return
    refused = await send_email(message, smtp_settings(settings))
    if refused:
        # A refused address will not start working on a retry.
        logger.warning("the mail server refused %d recipient(s)", len(refused))


register_handler(EMAIL_MEETING, send_meeting_email)
