"""Keeps one linked account's access token valid and hands changes back for storage."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx

from meetapp.calendars.oauth import OAuthConfig, TokenSet, refresh_tokens, revoke_tokens

# Refresh a little early so a token cannot expire between our check and the provider's.
REFRESH_MARGIN = timedelta(seconds=60)

TokensChanged = Callable[[TokenSet], Awaitable[None]]


class TokenManager:
    """Gives adapters a valid access token for one account.

    Refreshes when the token is within a minute of expiry, or when the provider rejected
    it; concurrent callers share one refresh. Every new token set (including Microsoft's
    rotated refresh token) goes to ``on_tokens_changed`` before it is used, so a crash
    cannot lose a rotated refresh token.
    """

    def __init__(
        self,
        config: OAuthConfig,
        tokens: TokenSet,
        http: httpx.AsyncClient,
        on_tokens_changed: TokensChanged,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self._tokens = tokens
        self._http = http
        self._on_tokens_changed = on_tokens_changed
        self._now = now
        self._lock = asyncio.Lock()

    @property
    def tokens(self) -> TokenSet:
        """The current token set."""
        return self._tokens

    async def access_token(self) -> str:
        """Return an access token valid for at least ``REFRESH_MARGIN``.

        Raises:
            NeedsRelink: The refresh token no longer works.
        """
        if self._tokens.expires_at - self._now() > REFRESH_MARGIN:
            return self._tokens.access_token
        return await self.refresh(self._tokens.access_token)

    async def refresh(self, rejected_token: str) -> str:
        """Refresh unless another caller already replaced ``rejected_token``.

        Args:
            rejected_token: The access token found expired or refused.

        Returns:
            The new access token.

        Raises:
            NeedsRelink: The refresh token no longer works; no retry is attempted.
        """
        async with self._lock:
            if self._tokens.access_token != rejected_token:
                return self._tokens.access_token
            # Shielded: a caller's timeout must not abandon a rotated refresh token
            # between the provider issuing it and ``on_tokens_changed`` storing it.
            self._tokens = await asyncio.shield(self._refresh_and_store())
            return self._tokens.access_token

    async def _refresh_and_store(self) -> TokenSet:
        refreshed = await refresh_tokens(self.config, self._tokens, self._http, self._now())
        await self._on_tokens_changed(refreshed)
        return refreshed

    async def revoke(self) -> None:
        """Revoke the grant where the provider allows it (best effort)."""
        await revoke_tokens(self.config, self._tokens, self._http)
