"""Meeting emails carrying an iMIP invite, and sending them over SMTP.

Gmail and Outlook show an invite card (with Yes/No/Maybe) when the message holds a
``text/calendar; method=...`` alternative; the ``invite.ics`` attachment is for clients
that only look at attachments. Both carry the same bytes.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape

from meetapp.notifications.ics import METHODS, Method, build_ics
from meetapp.notifications.links import google_calendar_url, outlook_calendar_url
from meetapp.notifications.meeting import MeetingInvite, Person, reject_line_breaks
from meetapp.notifications.timefmt import format_range


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the outgoing mail server.

    Attributes:
        host: SMTP server host name.
        port: SMTP server port (587 with STARTTLS, 25 without).
        username: Login name, or None to skip authentication.
        password: Login password (kept out of ``repr`` so it never lands in logs).
        starttls: Whether to upgrade the connection with STARTTLS before logging in.
        sender: Envelope sender (bounce address).
        timeout: Seconds to wait for the server on each network operation.
    """

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    sender: str = "meetapp@localhost"
    timeout: float = 10.0


def _headline(invite: MeetingInvite, method: Method, when: str) -> tuple[str, str]:
    """Subject and first sentence for the email, by what happened to the meeting."""
    actor = invite.actor.name
    if method == "CANCEL" or invite.status == "cancelled":
        return f"Cancelled: {invite.title} @ {when}", f"{actor} cancelled the meeting."
    if invite.status == "rescheduled":
        return (
            f"Updated invitation: {invite.title} @ {when}",
            f"{actor} moved the meeting to {when}.",
        )
    return f"Invitation: {invite.title} @ {when}", f"{actor} scheduled a meeting with you."


def _text_body(invite: MeetingInvite, headline: str, when: str) -> str:
    lines = [headline, "", invite.title, when, ""]
    if invite.reason:
        lines += [f"Reason: {invite.reason}", ""]
    if invite.description.strip():
        lines += [invite.description.strip(), ""]
    lines += [
        f"Join: {invite.join_url}",
        f"Chat room: {invite.room_url}",
        f"Add to Google Calendar: {google_calendar_url(invite)}",
        f"Add to Outlook: {outlook_calendar_url(invite)}",
    ]
    return "\n".join(lines) + "\n"


def _html_body(invite: MeetingInvite, headline: str, when: str) -> str:
    def link(url: str, label: str) -> str:
        return f'<a href="{escape(url)}">{escape(label)}</a>'

    parts = [
        f"<p>{escape(headline)}</p>",
        f"<h2>{escape(invite.title)}</h2>",
        f"<p><strong>{escape(when)}</strong></p>",
    ]
    if invite.reason:
        parts.append(f"<p>Reason: {escape(invite.reason)}</p>")
    if invite.description.strip():
        text = escape(invite.description.strip()).replace("\n", "<br>\n")
        parts.append(f"<p>{text}</p>")
    parts.append(
        f"<p>{link(invite.join_url, 'Join the meeting')} · "
        f"{link(invite.room_url, 'Open the chat room')}</p>"
    )
    parts.append(
        f"<p>Add to calendar: {link(google_calendar_url(invite), 'Google')} · "
        f"{link(outlook_calendar_url(invite), 'Outlook')}</p>"
    )
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"


def build_meeting_email(
    invite: MeetingInvite,
    recipient: Person,
    method: Method,
    sender: str,
    recipient_timezone: str,
) -> EmailMessage:
    """Build the invite, update or cancellation email for one recipient.

    Structure: ``multipart/mixed`` holding ``multipart/alternative`` (text/plain,
    text/html, ``text/calendar; method=<method>``) and an ``invite.ics`` attachment
    (``application/ics``) with the same calendar data.

    Args:
        invite: The meeting.
        recipient: Who receives this copy.
        method: ``REQUEST`` for a new or changed meeting, ``CANCEL`` for a cancellation.
        sender: The From address (``local@domain``); the organizer is set as Reply-To.
        recipient_timezone: IANA zone the times are shown in, e.g. ``Europe/Lisbon``.

    Returns:
        The message, ready for :func:`send_email`.

    Raises:
        ValueError: On an unknown method or a line break in ``sender``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    reject_line_breaks(sender, "sender")
    when = format_range(invite.start, invite.end, recipient_timezone, style="long")
    subject, headline = _headline(invite, method, when)
    calendar = build_ics(invite, method)

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = Address(f"{invite.actor.name} via meetapp", addr_spec=sender)
    message["To"] = Address(recipient.name, addr_spec=recipient.email)
    message["Reply-To"] = Address(invite.organizer.name, addr_spec=invite.organizer.email)
    message["Date"] = format_datetime(invite.updated_at)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content(_text_body(invite, headline, when))
    message.add_alternative(_html_body(invite, headline, when), subtype="html")
    # Passed as bytes (base64 on the wire) so the CRLF line ends RFC 5545 requires survive.
    message.add_alternative(
        calendar,
        maintype="text",
        subtype="calendar",
        params={"method": method, "charset": "UTF-8"},
    )
    message.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    return message


def _send_blocking(message: EmailMessage, smtp: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.username is not None:
            client.login(smtp.username, smtp.password or "")
        return client.send_message(message, from_addr=smtp.sender)


async def send_email(message: EmailMessage, smtp: SmtpSettings) -> dict[str, tuple[int, bytes]]:
    """Send a message over SMTP without blocking the event loop.

    smtplib is blocking, so the whole exchange runs in a worker thread.

    Args:
        message: The message; recipients are taken from its To/Cc/Bcc headers.
        smtp: Server settings; ``smtp.sender`` is the envelope sender.

    Returns:
        Recipients the server refused, mapped to (code, reply); empty if all accepted.

    Raises:
        smtplib.SMTPException: If the server refuses the message or every recipient.
        OSError: If the server cannot be reached.
    """
    return await asyncio.to_thread(_send_blocking, message, smtp)
