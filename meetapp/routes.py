"""Route constants and URL builders, so no page hard-codes another's path."""

from __future__ import annotations

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
    """Path that starts linking (or, with a connection id, relinking) an OAuth account."""
    path = CALENDAR_OAUTH_START.format(provider=provider)
    return f"{path}?connection={connection_id}" if connection_id else path
