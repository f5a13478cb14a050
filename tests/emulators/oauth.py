"""An OAuth 2.0 authorization server (code + PKCE S256, refresh) for both emulators."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tests.emulators.common import (
    EmulatorCore,
    Grant,
    consent_page,
    pkce_matches,
    unsigned_id_token,
)

# (error, description) -> the provider's JSON error body
ErrorBody = Callable[[str, str], dict[str, Any]]


class AuthorizationServer:
    """Auto-approving consent, code exchange with PKCE, refresh and revocation."""

    def __init__(
        self,
        core: EmulatorCore,
        provider: str,
        issuer: str,
        error_body: ErrorBody,
        rotate_refresh_tokens: bool,
        client_id: str = "emulator-client",
        client_secret: str = "emulator-secret",
    ) -> None:
        self.core = core
        self.provider = provider
        self.issuer = issuer
        self.error_body = error_body
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.client_id = client_id
        self.client_secret = client_secret
        self.login_email = "alice@example.com"
        # Scopes the user unticks on the consent screen (Google's granular consent).
        self.withheld_scopes: set[str] = set()
        self._codes: dict[str, dict[str, Any]] = {}

    def grant(self, scopes: list[str], email: str | None = None) -> dict[str, Any]:
        """Skip the browser: mint tokens as a completed consent would."""
        grant = Grant(email or self.login_email, scopes, self.client_id, _new_refresh_token())
        return {**self.core.issue_tokens(grant), "refresh_token": grant.refresh_token}

    async def authorize(self, request: Request) -> Response:
        """Show the consent page, whose Allow link approves the request."""
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return JSONResponse(self.error_body("invalid_request", "Unknown client"), 400)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return JSONResponse(self.error_body("invalid_request", "PKCE S256 required"), 400)
        approve = request.url.replace(path=request.url.path.rstrip("/") + "/approve")
        return consent_page(self.provider, str(approve))

    async def approve(self, request: Request) -> Response:
        """Issue a code and send the browser back to the client."""
        query = request.query_params
        code = "code-" + secrets.token_urlsafe(16)
        scopes = [s for s in query.get("scope", "").split() if s not in self.withheld_scopes]
        self._codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "challenge": query["code_challenge"],
            "scopes": scopes,
            "email": query.get("login_hint") or self.login_email,
        }
        back = {"code": code, "state": query.get("state", ""), "scope": " ".join(scopes)}
        return RedirectResponse(f"{query['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        """The token endpoint: authorization_code and refresh_token grants."""
        form = await request.form()
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return JSONResponse(self.error_body("invalid_client", "Unauthorized"), 401)
        if form.get("grant_type") == "authorization_code":
            return self._exchange(form)
        if form.get("grant_type") == "refresh_token":
            return self._refresh(str(form.get("refresh_token", "")))
        return JSONResponse(self.error_body("unsupported_grant_type", "Invalid grant_type"), 400)

    async def revoke(self, request: Request) -> Response:
        """Revoke a refresh or access token (RFC 7009, as Google does it)."""
        token = (await request.form()).get("token") or request.query_params.get("token")
        with self.core.lock:
            grant = self.core.refresh_tokens.pop(str(token), None)
            if grant is None and token in self.core.access_tokens:
                grant = self.core.access_tokens[str(token)][0]
                self.core.refresh_tokens.pop(grant.refresh_token, None)
        if grant is None:
            return JSONResponse(self.error_body("invalid_token", "Token expired or revoked"), 400)
        return JSONResponse({})

    def _exchange(self, form: Any) -> Response:
        pending = self._codes.pop(str(form.get("code")), None)
        if pending is None or pending["redirect_uri"] != form.get("redirect_uri"):
            return JSONResponse(self.error_body("invalid_grant", "Bad Request"), 400)
        if not pkce_matches(str(form.get("code_verifier", "")), pending["challenge"]):
            return JSONResponse(self.error_body("invalid_grant", "Invalid code verifier."), 400)
        grant = Grant(pending["email"], pending["scopes"], self.client_id, _new_refresh_token())
        return JSONResponse(self._token_response(grant, include_refresh=True))

    def _refresh(self, refresh_token: str) -> Response:
        with self.core.lock:
            grant = self.core.refresh_tokens.get(refresh_token)
            if grant is None:
                body = self.error_body("invalid_grant", "Token has been expired or revoked.")
                return JSONResponse(body, 400)
            if self.rotate_refresh_tokens:
                # The old refresh token dies the moment a new one is issued.
                del self.core.refresh_tokens[refresh_token]
                grant = Grant(grant.email, grant.scopes, grant.client_id, _new_refresh_token())
        return JSONResponse(self._token_response(grant, include_refresh=self.rotate_refresh_tokens))

    def _token_response(self, grant: Grant, include_refresh: bool) -> dict[str, Any]:
        body = self.core.issue_tokens(grant)
        if include_refresh:
            body["refresh_token"] = grant.refresh_token
        if "openid" in grant.scopes:
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": self.client_id, "sub": grant.email, "iat": now}
            claims |= {"exp": now + 3600, "email": grant.email, "preferred_username": grant.email}
            body["id_token"] = unsigned_id_token(claims)
        return body


def _new_refresh_token() -> str:
    return "rt-" + secrets.token_urlsafe(24)
