"""Turning a stored calendar connection into a working provider adapter.

The one place that knows how credentials are stored (encrypted JSON), which OAuth
client each provider uses, and what happens when a grant stops working.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from enum import StrEnum

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import col, update

from meetapp.calendars.base import CalendarProvider, NeedsRelink
from meetapp.calendars.caldav import CalDavCalendarProvider
from meetapp.calendars.google import GoogleCalendarProvider
from meetapp.calendars.microsoft import MicrosoftCalendarProvider
from meetapp.calendars.oauth import OAuthConfig, TokenSet, google_config, microsoft_config
from meetapp.calendars.tokens import TokenManager
from meetapp.config import Settings, get_settings
from meetapp.crypto import decrypt_json, encrypt_json
from meetapp.db import open_session
from meetapp.models import CalendarConnection, User
from meetapp.realtime.changes import mark_changed, user_topic
from meetapp.services import outbox


class Provider(StrEnum):
    """The kinds of calendar account we link."""

    GOOGLE = "google"
    MICROSOFT = "microsoft"
    CALDAV = "caldav"


OAUTH_PROVIDERS = (Provider.GOOGLE, Provider.MICROSOFT)
ACTIVE = "active"
NEEDS_RELINK = "needs_relink"


def oauth_configured() -> dict[str, bool]:
    """Which OAuth providers this server has a client for ("google" -> True, ...).

    The others are shown as not configured, their Connect buttons disabled.
    """
    return {provider.value: oauth_config(provider) is not None for provider in OAUTH_PROVIDERS}


def oauth_config(provider: str, settings: Settings | None = None) -> OAuthConfig | None:
    """The OAuth client of ``provider``, or None when it is not configured.

    Args:
        provider: "google" or "microsoft".
        settings: Configuration; the process's by default.
    """
    s = settings or get_settings()
    if provider == Provider.GOOGLE and s.google_client_id:
        return google_config(
            s.google_client_id,
            s.google_client_secret,
            s.google_auth_base_url,
            s.google_token_base_url,
            s.google_api_base_url,
        )
    if provider == Provider.MICROSOFT and s.microsoft_client_id:
        return microsoft_config(
            s.microsoft_client_id,
            s.microsoft_client_secret,
            s.microsoft_login_base_url,
            s.microsoft_tenant,
            s.microsoft_graph_base_url,
        )
    return None


def encrypt_tokens(tokens: TokenSet) -> str:
    """Serialize and encrypt an OAuth token set for the ``credentials`` column."""
    return encrypt_json(
        {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.isoformat(),
            "scopes": sorted(tokens.scopes),
            "account_email": tokens.account_email,
        }
    )


def decrypt_tokens(credentials: str) -> TokenSet:
    """The token set ``encrypt_tokens`` stored."""
    data = decrypt_json(credentials)
    return TokenSet(
        access_token=data["access_token"],
        refresh_token=data["refresh_token"],
        expires_at=datetime.fromisoformat(data["expires_at"]),
        scopes=frozenset(data["scopes"]),
        account_email=data.get("account_email"),
    )


def encrypt_caldav(url: str, username: str, password: str) -> str:
    """Encrypt a CalDAV account's URL, username and password."""
    return encrypt_json({"url": url, "username": username, "password": password})


def caldav_provider(
    url: str, username: str, password: str, user: User, timeout: float
) -> CalDavCalendarProvider:
    """A CalDAV adapter for ``user`` (their email counts as "me" in attendee lists)."""
    return CalDavCalendarProvider(
        url, username, password, user.timezone, [user.email], timeout=max(1, round(timeout))
    )


def mark_needs_relink(engine: Engine | None, connection_id: int, detail: str) -> None:
    """Stop using a connection until the user links it again, and tell them once.

    Only the change from active to needs-relink queues the email (``email.relink``)
    and refreshes the user's open tabs (their banner); later failures of the same
    connection, e.g. a calendar write racing a sync, change nothing.

    Args:
        engine: The database; the configured one by default.
        connection_id: The connection whose grant or password stopped working.
        detail: Why, for the settings page (never contains a secret).
    """
    with open_session(engine) as db:
        # One conditional UPDATE: of two workers failing at once, exactly one sees a row
        # change, so the user gets one notice.
        changed = db.exec(
            update(CalendarConnection)
            .where(
                col(CalendarConnection.id) == connection_id,
                col(CalendarConnection.status) == ACTIVE,
            )
            .values(status=NEEDS_RELINK, status_detail=detail[:300])
        ).rowcount
        if not changed:
            return
        user_id = db.get(CalendarConnection, connection_id).user_id
        outbox.enqueue(db, outbox.EMAIL_RELINK, {"connection_id": connection_id})
        mark_changed(db, [user_topic(user_id)])


def _tokens_saver(engine: Engine | None, connection_id: int):
    async def save(tokens: TokenSet) -> None:
        # Committed before the new token is used: Microsoft kills the old refresh
        # token on rotation, so losing the new one would force a relink.
        with open_session(engine) as db:
            connection = db.get(CalendarConnection, connection_id)
            if connection is not None:
                connection.credentials = encrypt_tokens(tokens)
                db.add(connection)

    return save


@asynccontextmanager
async def open_provider(
    connection: CalendarConnection,
    user: User,
    *,
    request_timeout: float,
    engine: Engine | None = None,
    settings: Settings | None = None,
) -> AsyncIterator[CalendarProvider]:
    """Open the adapter of a stored connection, with its own HTTP client.

    Args:
        connection: The connection (its encrypted credentials are read here).
        user: Its owner, for the time zone of all-day events.
        request_timeout: Per-request timeout in seconds.
        engine: Where rotated tokens are saved.
        settings: Configuration; the process's by default.

    Yields:
        The provider.

    Raises:
        NeedsRelink: The provider is no longer configured (its client id was removed).
    """
    if connection.provider == Provider.CALDAV:
        creds = decrypt_json(connection.credentials)
        yield caldav_provider(
            creds["url"], creds["username"], creds["password"], user, request_timeout
        )
        return
    config = oauth_config(connection.provider, settings)
    if config is None:
        raise NeedsRelink(f"{connection.provider} is not configured on this server")
    async with httpx.AsyncClient(timeout=request_timeout) as http:
        tokens = TokenManager(
            config,
            decrypt_tokens(connection.credentials),
            http,
            _tokens_saver(engine, connection.id),
        )
        if connection.provider == Provider.GOOGLE:
            yield GoogleCalendarProvider(tokens, http, user.timezone)
        else:
            yield MicrosoftCalendarProvider(
                tokens, http, user.timezone, connection.tentative_is_busy
            )
