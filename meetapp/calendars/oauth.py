"""OAuth 2.0 authorization code + PKCE for Google and Microsoft, driven by configuration."""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from meetapp.calendars.base import CalendarError, NeedsRelink
from meetapp.calendars.http import common_error, json_body, send

log = logging.getLogger(__name__)

GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
    "https://www.googleapis.com/auth/calendar.events",
)
MICROSOFT_SCOPES = ("User.Read", "Calendars.ReadWrite")
# Errors after which only the user can fix the grant, so retrying is pointless.
_RELINK_ERRORS = {
    "invalid_grant",
    "interaction_required",
    "consent_required",
    "unauthorized_client",
}


@dataclass(frozen=True)
class OAuthConfig:
    """One provider's OAuth client and endpoints; base URLs come from configuration."""

    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    revoke_url: str | None
    api_base_url: str
    scopes: tuple[str, ...]
    required_scopes: tuple[str, ...] = ()
    extra_authorize_params: dict[str, str] = field(default_factory=dict)
    # Microsoft wants the scopes again on refresh; Google does not take them.
    scope_on_refresh: bool = False


@dataclass(frozen=True)
class TokenSet:
    """The tokens of one linked account; secret, so never logged (repr hides them)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scopes: frozenset[str]
    account_email: str | None


def google_config(
    client_id: str,
    client_secret: str,
    auth_base_url: str = "https://accounts.google.com",
    token_base_url: str = "https://oauth2.googleapis.com",
    api_base_url: str = "https://www.googleapis.com/calendar/v3",
) -> OAuthConfig:
    """Build Google's config; pass an emulator's URLs to test against it."""
    return OAuthConfig(
        client_id=client_id,
        client_secret=client_secret,
        authorize_url=f"{auth_base_url}/o/oauth2/v2/auth",
        token_url=f"{token_base_url}/token",
        revoke_url=f"{token_base_url}/revoke",
        api_base_url=api_base_url,
        scopes=(*GOOGLE_SCOPES, "openid", "email"),
        required_scopes=GOOGLE_SCOPES,
        # Without these Google sends a refresh token only on the very first consent.
        extra_authorize_params={"access_type": "offline", "prompt": "consent"},
    )


def microsoft_config(
    client_id: str,
    client_secret: str,
    login_base_url: str = "https://login.microsoftonline.com",
    tenant: str = "common",
    graph_base_url: str = "https://graph.microsoft.com/v1.0",
) -> OAuthConfig:
    """Build Microsoft identity platform v2's config; ``tenant`` "common" takes any account."""
    return OAuthConfig(
        client_id=client_id,
        client_secret=client_secret,
        authorize_url=f"{login_base_url}/{tenant}/oauth2/v2.0/authorize",
        token_url=f"{login_base_url}/{tenant}/oauth2/v2.0/token",
        # Graph has no per-token revocation; disconnecting forgets our tokens.
        revoke_url=None,
        api_base_url=graph_base_url,
        scopes=("offline_access", *MICROSOFT_SCOPES, "openid", "email"),
        required_scopes=MICROSOFT_SCOPES,
        scope_on_refresh=True,
    )


def authorization_url(config: OAuthConfig, redirect_uri: str) -> tuple[str, str, str]:
    """Start a link: the URL to send the browser to, plus what to keep server-side.

    Args:
        config: The provider.
        redirect_uri: Our callback URL.

    Returns:
        ``(url, state, code_verifier)``; keep state and verifier backend-only.
    """
    state = generate_token(32)
    code_verifier = generate_token(64)
    url = prepare_grant_uri(
        config.authorize_url,
        client_id=config.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=" ".join(config.scopes),
        state=state,
        code_challenge=create_s256_code_challenge(code_verifier),
        code_challenge_method="S256",
        **config.extra_authorize_params,
    )
    return url, state, code_verifier


async def exchange_code(
    config: OAuthConfig,
    redirect_uri: str,
    code: str,
    code_verifier: str,
    http: httpx.AsyncClient,
    now: datetime | None = None,
) -> TokenSet:
    """Trade the callback's code for tokens and check the granted scopes.

    Raises:
        NeedsRelink: The code is invalid, or the user did not grant every scope we need.
    """
    body = await _token_request(
        config,
        http,
        grant_type="authorization_code",
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=code_verifier,
    )
    if not body.get("refresh_token"):
        raise NeedsRelink("no refresh token granted")
    tokens = _token_set(body, previous=None, now=now)
    check_scopes(config, tokens.scopes)
    return tokens


async def refresh_tokens(
    config: OAuthConfig, tokens: TokenSet, http: httpx.AsyncClient, now: datetime | None = None
) -> TokenSet:
    """Refresh the access token, keeping what the response leaves out.

    Raises:
        NeedsRelink: The refresh token is expired, revoked or already rotated away.
    """
    extra = {"scope": " ".join(config.scopes)} if config.scope_on_refresh else {}
    body = await _token_request(
        config, http, grant_type="refresh_token", refresh_token=tokens.refresh_token, **extra
    )
    refreshed = _token_set(body, previous=tokens, now=now)
    check_scopes(config, refreshed.scopes)
    return refreshed


async def revoke_tokens(config: OAuthConfig, tokens: TokenSet, http: httpx.AsyncClient) -> None:
    """Revoke the grant where the provider allows it; failures are only logged."""
    if config.revoke_url is None:
        return
    try:
        response = await send(http, "POST", config.revoke_url, data={"token": tokens.refresh_token})
    except CalendarError as exc:
        log.warning("token revocation failed: %s", exc)
        return
    if not response.is_success:
        log.warning("token revocation answered HTTP %s", response.status_code)


def check_scopes(config: OAuthConfig, granted: frozenset[str]) -> None:
    """Raise ``NeedsRelink`` naming the required scopes the user did not grant."""
    have = {_normalize_scope(s) for s in granted}
    missing = [s for s in config.required_scopes if _normalize_scope(s) not in have]
    if missing:
        raise NeedsRelink(f"missing scopes: {' '.join(missing)}")


def _normalize_scope(scope: str) -> str:
    # Microsoft may echo Graph scopes with or without their resource prefix, in any case.
    return scope.lower().removeprefix("https://graph.microsoft.com/")


async def _token_request(config: OAuthConfig, http: httpx.AsyncClient, **form: str) -> dict:
    form = {**form, "client_id": config.client_id, "client_secret": config.client_secret}
    response = await send(http, "POST", config.token_url, data=form)
    body = json_body(response)
    if response.is_success and body.get("access_token"):
        return body
    error = body.get("error")
    if error in _RELINK_ERRORS:
        raise NeedsRelink(f"{error}: {body.get('error_description', '')}".strip(": "))
    if response.status_code in (400, 401) and error:
        raise CalendarError(f"token endpoint refused the request: {error}")
    raise common_error(response)


def _token_set(body: dict[str, Any], previous: TokenSet | None, now: datetime | None) -> TokenSet:
    issued = now or datetime.now(UTC)
    scope = body.get("scope")
    claims = _id_token_claims(body.get("id_token"))
    email = claims.get("email") or claims.get("preferred_username")
    return TokenSet(
        access_token=body["access_token"],
        # Google omits the refresh token on refresh; Microsoft rotates it every time.
        refresh_token=body.get("refresh_token") or (previous.refresh_token if previous else ""),
        expires_at=issued + timedelta(seconds=int(body.get("expires_in", 3600))),
        scopes=frozenset(scope.split())
        if scope
        else (previous.scopes if previous else frozenset()),
        account_email=email or (previous.account_email if previous else None),
    )


def _id_token_claims(id_token: str | None) -> dict[str, Any]:
    # Received straight from the token endpoint over TLS, so OpenID Connect Core 3.1.3.7
    # lets us trust it without checking the signature; we only read the account's address.
    if not id_token or id_token.count(".") != 2:
        return {}
    payload = id_token.split(".")[1]
    try:
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return {}
