"""The `email.relink` outbox handler: "reconnect your calendar", once per breakage.

``mark_needs_relink`` queues the job when a connection stops working. The email is built
when sent, so a connection relinked or removed in the meantime sends nothing. Without
`MEETAPP_SMTP_HOST` emails are disabled: the job is logged and done; the in-app banner
still tells the user.
"""

from __future__ import annotations

import asyncio
import logging
from email.message import EmailMessage

from meetapp import routes
from meetapp.config import Settings, get_settings
from meetapp.db import open_session
from meetapp.models import CalendarConnection, User
from meetapp.notifications.email import send_email
from meetapp.notifications.meeting import Person
from meetapp.notifications.relink import RelinkNotice, build_relink_email
from meetapp.services.calendar_accounts import NEEDS_RELINK, OAUTH_PROVIDERS
from meetapp.services.calendar_choices import PROVIDER_LABELS
from meetapp.services.meeting_emails import smtp_settings
from meetapp.services.outbox import EMAIL_RELINK, register_handler

logger = logging.getLogger(__name__)


def _relink_url(connection: CalendarConnection, settings: Settings) -> str:
    """Where one click relinks the account.

    OAuth accounts go straight to the provider's consent screen; a CalDAV account needs
    its new password typed, so it goes to the settings page.
    """
    if connection.provider in OAUTH_PROVIDERS:
        return routes.calendar_oauth_start(connection.provider, connection.id)
    return f"{settings.public_base_url}{routes.CALENDARS}"


def _build(connection_id: int, settings: Settings) -> EmailMessage | None:
    with open_session() as db:
        connection = db.get(CalendarConnection, connection_id)
        if connection is None or connection.status != NEEDS_RELINK:
            return None  # removed or relinked since: nothing to tell
        owner = db.get(User, connection.user_id)
    notice = RelinkNotice(
        provider_label=PROVIDER_LABELS.get(connection.provider, connection.provider),
        account_email=connection.account_email,
        relink_url=_relink_url(connection, settings),
        calendars_url=f"{settings.public_base_url}{routes.CALENDARS}",
    )
    return build_relink_email(notice, Person(owner.name, owner.email), settings.mail_from)


async def send_relink_email(payload: dict) -> None:
    """Send the "reconnect your calendar" email (the handler of `email.relink` jobs).

    Args:
        payload: {"connection_id"}.

    Raises:
        smtplib.SMTPException, OSError: The server failed; the job is retried.
    """
    settings = get_settings()
    if not settings.smtp_host:
        logger.info("emails disabled (no MEETAPP_SMTP_HOST); skipping a relink email")
        return
    message = await asyncio.to_thread(_build, payload["connection_id"], settings)
    if message is not None:
        await send_email(message, smtp_settings(settings))


register_handler(EMAIL_RELINK, send_relink_email)
