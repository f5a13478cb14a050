"""Linking calendar accounts: OAuth (Google, Microsoft) and CalDAV, relink, disconnect."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from meetapp.calendars.base import CalendarError, NeedsRelink, RemoteCalendar
from meetapp.calendars.google import GoogleCalendarProvider
from meetapp.calendars.microsoft import MicrosoftCalendarProvider
from meetapp.calendars.oauth import OAuthConfig, TokenSet, authorization_url, exchange_code
from meetapp.calendars.tokens import TokenManager
from meetapp.crypto import decrypt_json, encrypt_json
from meetapp.db import open_session
from meetapp.models import CalendarConnection, OAuthPending, User, utcnow
from meetapp.services.calendar_accounts import (
    OAUTH_PROVIDERS,
    Provider,
    encrypt_tokens,
    oauth_config,
    open_provider,
)
from meetapp.services.calendar_choices import PROVIDER_LABELS, owned_connection, save_connection
from meetapp.services.calendar_sync import forget_busy
from meetapp.services.errors import InvalidInput

log = logging.getLogger(__name__)

PENDING_LIFETIME = timedelta(minutes=10)
LINK_TIMEOUT_SECONDS = 15.0


def _configured(provider: str) -> OAuthConfig:
    """The OAuth client of ``provider``, or ``InvalidInput`` when there is none."""
    config = oauth_config(provider) if provider in OAUTH_PROVIDERS else None
    if config is None:
        label = PROVIDER_LABELS.get(provider, provider)
        raise InvalidInput("provider", f"{label} is not configured.")
    return config


def start_oauth(
    db: Session,
    user_id: int,
    provider: str,
    redirect_uri: str,
    now: datetime | None = None,
    connection_id: int | None = None,
) -> str:
    """Begin linking (or relinking) an OAuth account.

    Args:
        db: Database session.
        user_id: Who links.
        provider: "google" or "microsoft".
        redirect_uri: Our callback URL, as the provider will call it.
        now: The current time.
        connection_id: The connection to relink, if any.

    Returns:
        The provider's authorize URL to send the browser to.

    Raises:
        InvalidInput: The provider is unknown or not configured.
        NotFound: ``connection_id`` is not the user's.
    """
    config = _configured(provider)
    if connection_id is not None:
        owned_connection(db, user_id, connection_id)
    now = now or utcnow()
    db.exec(delete(OAuthPending).where(col(OAuthPending.created_at) < now - PENDING_LIFETIME))
    url, state, verifier = authorization_url(config, redirect_uri)
    db.add(
        OAuthPending(
            state=state,
            user_id=user_id,
            provider=provider,
            connection_id=connection_id,
            redirect_uri=redirect_uri,
            code_verifier=encrypt_json(verifier),
            created_at=now,
        )
    )
    return url


def _take_pending(
    provider: str, state: str, user_id: int, now: datetime, engine: Engine | None
) -> OAuthPending:
    """Consume the pending request: a state works once, for ten minutes, for its user.

    Binding it to the signed-in user stops a forged callback from linking someone's
    calendar to another person's meetapp account.
    """
    with open_session(engine) as db:
        pending = db.exec(select(OAuthPending).where(OAuthPending.state == state)).first()
        if pending is None:
            raise InvalidInput("state", "This link request is unknown. Please try again.")
        db.delete(pending)
        if pending.user_id != user_id or pending.provider != provider:
            raise InvalidInput("state", "This link request is unknown. Please try again.")
        if pending.created_at < now - PENDING_LIFETIME:
            raise InvalidInput("state", "This link request expired. Please try again.")
        return pending


async def finish_oauth(
    user_id: int,
    provider: str,
    state: str,
    code: str,
    now: datetime | None = None,
    engine: Engine | None = None,
) -> int:
    """Complete the callback: exchange the code, store tokens, list the calendars.

    Args:
        user_id: The signed-in user the callback reached us with.
        provider: "google" or "microsoft" (from the callback path).
        state: The ``state`` query parameter.
        code: The ``code`` query parameter.
        now: The current time.
        engine: The database; the configured one by default.

    Returns:
        The id of the new or relinked connection.

    Raises:
        InvalidInput: Unknown or expired state, refused code, or missing permissions.
    """
    now = now or utcnow()
    pending = _take_pending(provider, state, user_id, now, engine)
    config = _configured(provider)
    async with httpx.AsyncClient(timeout=LINK_TIMEOUT_SECONDS) as http:
        try:
            tokens = await exchange_code(
                config, pending.redirect_uri, code, decrypt_json(pending.code_verifier), http, now
            )
            calendars, tokens = await _list_with_tokens(provider, config, tokens, http)
        except NeedsRelink as exc:
            raise InvalidInput(
                "consent", "Please allow meetapp to see and edit your calendars, then try again."
            ) from exc
        except CalendarError as exc:
            log.warning("%s link failed: %s", provider, exc)
            raise InvalidInput(
                "provider", f"{PROVIDER_LABELS[provider]} did not answer. Try again."
            ) from exc
    with open_session(engine) as db:
        return save_connection(
            db,
            pending.user_id,
            provider,
            tokens.account_email or "",
            encrypt_tokens(tokens),
            calendars,
            pending.connection_id,
        )


async def _list_with_tokens(
    provider: str, config: OAuthConfig, tokens: TokenSet, http: httpx.AsyncClient
) -> tuple[list[RemoteCalendar], TokenSet]:
    manager = TokenManager(config, tokens, http, _ignore_tokens)
    # Only list_calendars runs, which needs no user time zone.
    adapter = (
        GoogleCalendarProvider(manager, http, "UTC")
        if provider == Provider.GOOGLE
        else MicrosoftCalendarProvider(manager, http, "UTC")
    )
    calendars = await adapter.list_calendars()
    # A refresh during listing rotated the tokens (Microsoft): keep the newest.
    return calendars, manager.tokens


async def _ignore_tokens(tokens: TokenSet) -> None:
    """Nothing stored yet; ``finish_oauth`` saves ``manager.tokens`` afterwards."""


async def disconnect(user_id: int, connection_id: int, engine: Engine | None = None) -> None:
    """Forget an account: revoke where possible, delete tokens and cached busy times.

    Meetings already written stay in the external calendar.

    Raises:
        NotFound: The connection is not the user's.
    """
    with open_session(engine) as db:
        connection = owned_connection(db, user_id, connection_id)
        user = db.get(User, user_id)
    try:
        async with open_provider(
            connection, user, request_timeout=LINK_TIMEOUT_SECONDS, engine=engine
        ) as provider:
            await provider.revoke()
    except Exception as exc:  # revocation is a courtesy; forgetting must still happen
        log.warning("revoking connection %s failed: %s", connection_id, type(exc).__name__)
    with open_session(engine) as db:
        forget_busy(db, connection_id)
        db.exec(delete(CalendarConnection).where(col(CalendarConnection.id) == connection_id))
