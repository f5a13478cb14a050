"""Add-to-calendar links for Google Calendar and Outlook.com."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote, urlencode

from meetapp.notifications.meeting import MeetingInvite

GOOGLE_BASE = "https://calendar.google.com/calendar/render"
OUTLOOK_BASE = "https://outlook.live.com/calendar/0/deeplink/compose"


def _query(params: dict[str, str]) -> str:
    # quote (not quote_plus): "+" for spaces is not decoded everywhere these links land.
    return urlencode(params, quote_via=quote, safe="/")


def google_calendar_url(invite: MeetingInvite) -> str:
    """Link that opens Google Calendar's "new event" form pre-filled with the meeting.

    Args:
        invite: The meeting.

    Returns:
        The URL; times are UTC (``YYYYMMDDTHHMMSSZ/YYYYMMDDTHHMMSSZ``).
    """
    stamp = "%Y%m%dT%H%M%SZ"
    dates = f"{invite.start.astimezone(UTC):{stamp}}/{invite.end.astimezone(UTC):{stamp}}"
    params = {
        "action": "TEMPLATE",
        "text": invite.title,
        "dates": dates,
        "details": invite.details,
        "location": invite.join_url,
    }
    return f"{GOOGLE_BASE}?{_query(params)}"


def outlook_calendar_url(invite: MeetingInvite) -> str:
    """Link that opens Outlook.com's "new event" form pre-filled with the meeting.

    Args:
        invite: The meeting.

    Returns:
        The URL; times are ISO 8601 in UTC (``2026-03-03T15:00:00Z``).
    """
    iso = "%Y-%m-%dT%H:%M:%SZ"
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": invite.title,
        "startdt": f"{invite.start.astimezone(UTC):{iso}}",
        "enddt": f"{invite.end.astimezone(UTC):{iso}}",
        "body": invite.details,
        "location": invite.join_url,
    }
    return f"{OUTLOOK_BASE}?{_query(params)}"
