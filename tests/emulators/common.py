"""What both provider emulators share: request counts, fault injection, admin API, tokens."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

ADMIN_PREFIX = "/_emulator"


@dataclass
class Fault:
    """A canned response served instead of the real one."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


@dataclass
class Grant:
    """What a user consented to, and the refresh token that carries it."""

    email: str
    scopes: list[str]
    client_id: str
    refresh_token: str


class EmulatorCore:
    """Counts requests per path and serves injected faults before any route runs."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.counts: Counter[str] = Counter()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.access_tokens: dict[str, tuple[Grant, float]] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self.token_lifetime = 3600

    def inject_fault(
        self,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests to ``path`` with ``status``."""
        with self.lock:
            self._faults[path].extend(Fault(status, body, headers) for _ in range(times))

    def count(self, path: str) -> int:
        """How many requests reached ``path`` (faults included)."""
        with self.lock:
            return self.counts[path]

    def reset_counts(self) -> None:
        """Forget the request counts."""
        with self.lock:
            self.counts.clear()

    def issue_tokens(self, grant: Grant) -> dict[str, Any]:
        """Mint an access token for a grant, as the token endpoint answers."""
        access_token = "at-" + secrets.token_urlsafe(16)
        with self.lock:
            self.refresh_tokens[grant.refresh_token] = grant
            self.access_tokens[access_token] = (grant, time.time() + self.token_lifetime)
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "scope": " ".join(grant.scopes),
        }

    def grant_for(self, request: Request) -> Grant | None:
        """The grant behind the request's live bearer token, if any."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        with self.lock:
            grant, expires = self.access_tokens.get(token, (None, 0.0))
            if grant is None or expires < time.time():
                return None
            return grant if grant.refresh_token in self.refresh_tokens else None

    def expire_access_tokens(self) -> None:
        """Make every issued access token stale, as if an hour passed."""
        with self.lock:
            self.access_tokens = {t: (g, 0.0) for t, (g, _) in self.access_tokens.items()}

    def revoke_grants(self, email: str | None = None) -> None:
        """Withdraw consents, as a user does in their account settings.

        Args:
            email: Only this user's grants; everyone's by default.
        """
        with self.lock:
            self.refresh_tokens = {
                token: grant
                for token, grant in self.refresh_tokens.items()
                if email is not None and grant.email != email
            }

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Wrap ``app`` so it counts requests and serves injected faults."""

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            path = scope.get("path", "")
            if scope["type"] != "http" or path.startswith(ADMIN_PREFIX):
                await app(scope, receive, send)
                return
            with self.lock:
                self.counts[path] += 1
                fault = self._faults[path].popleft() if self._faults.get(path) else None
            if fault is None:
                await app(scope, receive, send)
                return
            response = Response(
                json.dumps(fault.body) if fault.body is not None else b"",
                status_code=fault.status,
                headers=fault.headers,
                media_type="application/json",
            )
            await response(scope, receive, send)

        return wrapped

    def admin_routes(self) -> list[Route]:
        """Routes to read counts and inject faults from another process."""

        async def counts(request: Request) -> JSONResponse:
            with self.lock:
                return JSONResponse(dict(self.counts))

        async def fault(request: Request) -> JSONResponse:
            body = await request.json()
            self.inject_fault(
                body["path"],
                body["status"],
                body.get("body"),
                body.get("headers"),
                body.get("times", 1),
            )
            return JSONResponse({"ok": True})

        async def expire(request: Request) -> JSONResponse:
            self.expire_access_tokens()
            return JSONResponse({"ok": True})

        async def revoke(request: Request) -> JSONResponse:
            self.revoke_grants()
            return JSONResponse({"ok": True})

        return [
            Route(f"{ADMIN_PREFIX}/counts", counts),
            Route(f"{ADMIN_PREFIX}/faults", fault, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}/expire-tokens", expire, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}/revoke-grants", revoke, methods=["POST"]),
        ]


def pkce_matches(verifier: str, challenge: str) -> bool:
    """Check an RFC 7636 S256 code verifier against its challenge."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=") == challenge


def unsigned_id_token(claims: dict[str, Any]) -> str:
    """A JWT-shaped id_token; clients read it straight from the token endpoint."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'emulator'})}.{part(claims)}.emulator-signature"


def consent_page(provider: str, approve_url: str) -> HTMLResponse:
    """The tiny consent screen a browser test clicks through."""
    return HTMLResponse(
        f"<!doctype html><title>{provider} consent</title>"
        f"<h1>{provider} emulator</h1><p>meetapp wants to see and edit your calendars.</p>"
        f'<a id="allow" href="{html.escape(approve_url)}"><button type="button">Allow</button></a>'
    )
