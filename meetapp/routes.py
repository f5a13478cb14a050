"""Route constants and URL builders, so no page hard-codes another's path."""

from __future__ import annotations

from meetapp.config import get_settings

HOME = "/"
SIGN_IN = "/signin"
SIGN_UP = "/signup"
ROOMS = "/rooms"
ROOM = "/rooms/[room_id]"


def room(room_id: int) -> str:
    """Path of one room's page."""
    return f"/rooms/{room_id}"


CALENDARS = "/calendars"
CALENDAR_OAUTH_START = "/calendars/oauth/{provider}/start"
CALENDAR_OAUTH_CALLBACK = "/calendars/oauth/{provider}/callback"


def calendar_oauth_start(provider: str, connection_id: int | None = None) -> str:
    """Absolute backend URL that starts linking (with a connection id: relinking) an account.

    The Connect and Relink buttons and the relink email all lead here.
    """
    path = CALENDAR_OAUTH_START.format(provider=provider)
    query = f"?connection={connection_id}" if connection_id else ""
    return f"{get_settings().api_url}{path}{query}"
