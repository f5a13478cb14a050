"""The one HTTP request path both OAuth providers share: bearer auth, 401 refresh, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import httpx

from meetapp.calendars.base import CalendarError, NeedsRelink, RateLimited, TransientError
from meetapp.calendars.retry import parse_retry_after

# A provider-specific reading of an error response; None defers to the common rules.
ErrorClassifier = Callable[[httpx.Response], CalendarError | None]


class AccessTokens(Protocol):
    """Where an API client gets its bearer token (``TokenManager`` in practice)."""

    async def access_token(self) -> str:
        """Return a token valid for at least the next minute."""
        ...

    async def refresh(self, rejected_token: str) -> str:
        """Replace a token the provider rejected and return the new one."""
        ...


def json_body(response: httpx.Response) -> dict[str, Any]:
    """Return the response's JSON object, or an empty dict when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def send(http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """Send one request, turning network failures into ``TransientError``.

    Args:
        http: The shared client.
        method: The HTTP method.
        url: The absolute URL.
        **kwargs: Passed to ``httpx.AsyncClient.request``.

    Returns:
        The response, whatever its status.
    """
    try:
        return await http.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise TransientError(f"{method} {httpx.URL(url).path} timed out") from exc
    except httpx.TransportError as exc:
        raise TransientError(
            f"{method} {httpx.URL(url).path} failed: {type(exc).__name__}"
        ) from exc


def common_error(response: httpx.Response) -> CalendarError:
    """Map a failed response to the error every provider shares for its status."""
    where = f"{response.request.method} {response.request.url.path}"
    status = response.status_code
    if status == 429:
        return RateLimited(
            f"{where}: HTTP 429", parse_retry_after(response.headers.get("Retry-After"))
        )
    if status >= 500:
        return TransientError(f"{where}: HTTP {status}")
    return CalendarError(f"{where}: HTTP {status}")


class ApiClient:
    """Calls a provider's REST API with a fresh bearer token.

    A 401 triggers exactly one token refresh and one retry of the request; a second 401
    means the grant no longer works, so the user must relink.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: AccessTokens,
        classify: ErrorClassifier,
        default_headers: dict[str, str] | None = None,
    ) -> None:
        self._http = http
        self._tokens = tokens
        self._classify = classify
        self._default_headers = default_headers or {}

    async def request(
        self,
        method: str,
        url: str,
        *,
        allow: tuple[int, ...] = (),
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send an authorized request.

        Args:
            method: The HTTP method.
            url: The absolute URL.
            allow: Error statuses the caller handles itself (e.g. 404 on delete).
            headers: Extra headers for this request.
            **kwargs: Passed to ``httpx.AsyncClient.request`` (params, json, ...).

        Returns:
            A successful response, or one whose status is in ``allow``.

        Raises:
            CalendarError: A subclass telling the caller what to do about the failure.
        """
        token = await self._tokens.access_token()
        response = await self._send(method, url, token, headers, kwargs)
        if response.status_code == 401:
            token = await self._tokens.refresh(token)
            response = await self._send(method, url, token, headers, kwargs)
            if response.status_code == 401:
                raise NeedsRelink(f"{method} {response.request.url.path}: token rejected")
        if response.is_success or response.status_code in allow:
            return response
        raise self._classify(response) or common_error(response)

    async def _send(
        self,
        method: str,
        url: str,
        token: str,
        headers: dict[str, str] | None,
        kwargs: dict[str, Any],
    ) -> httpx.Response:
        merged = {**self._default_headers, **(headers or {}), "Authorization": f"Bearer {token}"}
        return await send(self._http, method, url, headers=merged, **kwargs)
