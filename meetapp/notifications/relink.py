"""The email telling someone that a linked calendar stopped working."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape

from meetapp.notifications.meeting import Person, reject_line_breaks


@dataclass(frozen=True)
class RelinkNotice:
    """A calendar account that needs linking again.

    Attributes:
        provider_label: "Google", "Microsoft" or "CalDAV".
        account_email: The account's address or username ("" when unknown).
        relink_url: Where one click starts linking it again (or the settings page,
            where a password can be entered).
        calendars_url: The "Manage calendars" page.
    """

    provider_label: str
    account_email: str
    relink_url: str
    calendars_url: str

    def __post_init__(self) -> None:
        for what in ("provider_label", "account_email", "relink_url", "calendars_url"):
            reject_line_breaks(getattr(self, what), what)

    @property
    def account(self) -> str:
        """The account as a phrase: "Google calendar (ana@gmail.com)"."""
        name = f"{self.provider_label} calendar"
        return f"{name} ({self.account_email})" if self.account_email else name


_CONSEQUENCE = (
    "Until you reconnect it, new meetings are not added to it and its busy times "
    "are not checked when people book time with you."
)


def build_relink_email(notice: RelinkNotice, recipient: Person, sender: str) -> EmailMessage:
    """Build the "reconnect your calendar" email (plain text and HTML).

    Args:
        notice: The account and the links to act on.
        recipient: The account's owner.
        sender: The From address (``local@domain``).

    Returns:
        The message, ready for ``send_email``.

    Raises:
        ValueError: On a line break in ``sender``.
    """
    reject_line_breaks(sender, "sender")
    headline = f"meetapp can no longer reach your {notice.account}."
    message = EmailMessage()
    message["Subject"] = f"Reconnect your {notice.provider_label} calendar"
    message["From"] = Address("meetapp", addr_spec=sender)
    message["To"] = Address(recipient.name, addr_spec=recipient.email)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content(
        f"{headline}\n\n{_CONSEQUENCE}\n\n"
        f"Reconnect: {notice.relink_url}\n"
        f"Manage calendars: {notice.calendars_url}\n"
    )
    message.add_alternative(
        "<!DOCTYPE html>\n<html><body>\n"
        f"<p>{escape(headline)}</p>\n<p>{escape(_CONSEQUENCE)}</p>\n"
        f'<p><a href="{escape(notice.relink_url)}">Reconnect</a> · '
        f'<a href="{escape(notice.calendars_url)}">Manage calendars</a></p>\n'
        "</body></html>\n",
        subtype="html",
    )
    return message
