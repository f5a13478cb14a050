"""Linking a CalDAV account (iCloud, Fastmail, Nextcloud, ...) with URL and password."""

from __future__ import annotations

from urllib.parse import urlparse

from sqlalchemy.engine import Engine

from meetapp.calendars.base import CalendarError, NeedsRelink, TransientError
from meetapp.db import open_session
from meetapp.models import User
from meetapp.services.calendar_accounts import Provider, caldav_provider, encrypt_caldav
from meetapp.services.calendar_choices import owned_connection, save_connection
from meetapp.services.errors import InvalidInput, NotFound

LINK_TIMEOUT_SECONDS = 15.0


def _check_caldav_url(url: str) -> str:
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("url", "Enter the server URL, starting with https://")
    return url


async def link_caldav(
    user_id: int,
    url: str,
    username: str,
    password: str,
    engine: Engine | None = None,
    connection_id: int | None = None,
) -> int:
    """Link (or relink) a CalDAV account after checking it by listing its calendars.

    Args:
        user_id: Who links.
        url: The server or principal URL (e.g. https://caldav.icloud.com/).
        username: The account name.
        password: The password (an app-specific one for iCloud).
        engine: The database; the configured one by default.
        connection_id: The connection to relink, if any.

    Returns:
        The connection id.

    Raises:
        InvalidInput: Bad URL, refused credentials, unreachable server or no calendars.
    """
    url = _check_caldav_url(url)
    if not username.strip() or not password:
        raise InvalidInput("username", "Enter the username and password.")
    with open_session(engine) as db:
        user = db.get(User, user_id)
        if connection_id is not None:
            owned_connection(db, user_id, connection_id)
    if user is None:
        raise NotFound("No such user")
    provider = caldav_provider(url, username.strip(), password, user, LINK_TIMEOUT_SECONDS)
    try:
        calendars = await provider.list_calendars()
    except NeedsRelink as exc:
        raise InvalidInput(
            "password",
            "The server refused this username and password. "
            "For iCloud, use an app-specific password.",
        ) from exc
    except TransientError as exc:
        raise InvalidInput("url", "Could not reach a server at that URL.") from exc
    except CalendarError as exc:
        raise InvalidInput("url", "No CalDAV calendars found at that URL.") from exc
    if not calendars:
        raise InvalidInput("url", "No calendars found at that URL.")
    with open_session(engine) as db:
        return save_connection(
            db,
            user_id,
            Provider.CALDAV,
            username.strip(),
            encrypt_caldav(url, username.strip(), password),
            calendars,
            connection_id,
        )
