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
