"""Google Calendar v3 adapter."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from meetapp.calendars.base import (
    CalendarError,
    EventDraft,
    NeedsRelink,
    RateLimited,
    RemoteCalendar,
    RemoteEvent,
    SyncResult,
    SyncTokenExpired,
    WrittenEvent,
    all_day_bounds,
    sync_with_one_resync,
)
from meetapp.calendars.http import ApiClient, json_body
from meetapp.calendars.retry import parse_retry_after
from meetapp.calendars.tokens import TokenManager

_RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
_SCOPE_REASONS = {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
_WRITE_ROLES = {"owner", "writer"}


def google_event_id(uid: str) -> str:
    """Derive Google's client-supplied event id from our meeting uid.

    Google accepts base32hex characters (a-v, 0-9), 5 to 1024 of them; a hash keeps any
    uid within that and gives the same id on every retry, which makes inserts idempotent.
    """
    digest = hashlib.sha256(uid.encode()).digest()
    return base64.b32hexencode(digest).decode().lower().rstrip("=")


def classify_google_error(response: httpx.Response) -> CalendarError | None:
    """Read Google's error body where its status alone is ambiguous."""
    error = json_body(response).get("error")
    reasons = (
        {e.get("reason") for e in error.get("errors", [])} if isinstance(error, dict) else set()
    )
    reasons |= {error.get("status")} if isinstance(error, dict) else set()
    where = f"{response.request.method} {response.request.url.path}"
    if response.status_code == 403 and reasons & _RATE_LIMIT_REASONS:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimited(f"{where}: rate limit exceeded", retry_after)
    if response.status_code == 403 and reasons & _SCOPE_REASONS:
        return NeedsRelink(f"{where}: missing scopes")
    if response.status_code == 410:
        return SyncTokenExpired(f"{where}: full sync required")
    return None


class GoogleCalendarProvider:
    """A linked Google account, as a ``CalendarProvider``."""

    def __init__(
        self,
        tokens: TokenManager,
        http: httpx.AsyncClient,
        user_timezone: str,
        page_size: int = 250,
    ) -> None:
        self._tokens = tokens
        self._api = ApiClient(http, tokens, classify_google_error)
        self._base = tokens.config.api_base_url
        self._zone = ZoneInfo(user_timezone)
        self._page_size = page_size

    async def list_calendars(self) -> list[RemoteCalendar]:
        """List the calendars in the user's calendar list."""
        items = await self._paged(f"{self._base}/users/me/calendarList", {}, "items")
        return [
            RemoteCalendar(
                id=item["id"],
                name=item.get("summaryOverride") or item.get("summary", item["id"]),
                is_primary=bool(item.get("primary")),
                can_write=item.get("accessRole") in _WRITE_ROLES,
                timezone=item.get("timeZone"),
            )
            for item in items
        ]

    async def sync_events(
        self, calendar_id: str, sync_token: str | None, window_start: datetime, window_end: datetime
    ) -> SyncResult:
        """Sync events with ``singleEvents=true`` so Google expands recurring series."""
        window = {"timeMin": _rfc3339(window_start), "timeMax": _rfc3339(window_end)}

        async def incremental() -> SyncResult:
            return await self._sync(calendar_id, {"syncToken": sync_token}, full=False)

        async def full() -> SyncResult:
            return await self._sync(calendar_id, window, full=True)

        return await sync_with_one_resync(incremental if sync_token else None, full)

    async def create_event(self, calendar_id: str, draft: EventDraft) -> WrittenEvent:
        """Insert with an id derived from ``draft.uid``; a 409 means it already exists.

        With ``want_conference`` Google creates a Meet conference; its ``requestId`` is our
        uid, so a retried insert cannot ask for a second one.
        """
        event_id = google_event_id(draft.uid)
        body = {"id": event_id, **_event_body(draft)}
        params: dict[str, Any] = {"sendUpdates": "all"}
        if draft.want_conference:
            # Without conferenceDataVersion=1 Google silently drops conferenceData.
            params["conferenceDataVersion"] = 1
            body["conferenceData"] = {
                "createRequest": {
                    "requestId": draft.uid,
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            }
        response = await self._api.request(
            "POST", self._events_url(calendar_id), params=params, json=body, allow=(409,)
        )
        if response.status_code == 409:
            response = await self._api.request("GET", self._events_url(calendar_id, event_id))
        return _written(response.json())

    async def update_event(
        self, calendar_id: str, event_id: str, draft: EventDraft
    ) -> WrittenEvent:
        """Patch the event's time, text and attendees, notifying attendees.

        The patch carries no conferenceData, so Google keeps the Meet link it created.
        """
        response = await self._api.request(
            "PATCH",
            self._events_url(calendar_id, event_id),
            params={"sendUpdates": "all"},
            json=_event_body(draft),
        )
        return _written(response.json())

    async def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete the event; Google answers 404 or 410 when it is already gone."""
        await self._api.request(
            "DELETE",
            self._events_url(calendar_id, event_id),
            params={"sendUpdates": "all"},
            allow=(404, 410),
        )

    async def revoke(self) -> None:
        """Revoke the grant at Google (best effort)."""
        await self._tokens.revoke()

    async def _sync(self, calendar_id: str, params: dict[str, Any], full: bool) -> SyncResult:
        params = {**params, "singleEvents": "true"}
        items, token = await self._paged_with_token(self._events_url(calendar_id), params)
        upserts: list[RemoteEvent] = []
        deleted: list[str] = []
        for item in items:
            if item.get("status") == "cancelled":
                deleted.append(item["id"])
            else:
                upserts.append(self._remote_event(item))
        return SyncResult(upserts, deleted, token, full)

    async def _paged(self, url: str, params: dict[str, Any], key: str) -> list[dict]:
        items, _ = await self._paged_with_token(url, params, key)
        return items

    async def _paged_with_token(
        self, url: str, params: dict[str, Any], key: str = "items"
    ) -> tuple[list[dict], str]:
        items: list[dict] = []
        page_token = None
        while True:
            page_params = {**params, "maxResults": self._page_size}
            if page_token:
                page_params["pageToken"] = page_token
            body = (await self._api.request("GET", url, params=page_params)).json()
            items.extend(body.get(key, []))
            page_token = body.get("nextPageToken")
            if not page_token:
                return items, body.get("nextSyncToken", "")

    def _events_url(self, calendar_id: str, event_id: str | None = None) -> str:
        url = f"{self._base}/calendars/{quote(calendar_id, safe='')}/events"
        return f"{url}/{quote(event_id, safe='')}" if event_id else url

    def _remote_event(self, item: dict[str, Any]) -> RemoteEvent:
        all_day = "date" in item["start"]
        if all_day:
            start, end = all_day_bounds(
                date.fromisoformat(item["start"]["date"]),
                date.fromisoformat(item["end"]["date"]),
                self._zone,
            )
        else:
            start = datetime.fromisoformat(item["start"]["dateTime"]).astimezone(UTC)
            end = datetime.fromisoformat(item["end"]["dateTime"]).astimezone(UTC)
        declined = any(
            a.get("self") and a.get("responseStatus") == "declined"
            for a in item.get("attendees", [])
        )
        blocks = item.get("transparency", "opaque") != "transparent" and not declined
        return RemoteEvent(item["id"], start, end, blocks, all_day)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _event_body(draft: EventDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": draft.title,
        "description": draft.description,
        "start": {"dateTime": _rfc3339(draft.start), "timeZone": "UTC"},
        "end": {"dateTime": _rfc3339(draft.end), "timeZone": "UTC"},
        "attendees": [{"email": email} for email in draft.attendee_emails],
    }
    if draft.join_url and not draft.want_conference:
        body["location"] = draft.join_url
    return body


def _written(item: dict[str, Any]) -> WrittenEvent:
    return WrittenEvent(item["id"], _conference_link(item))


def _conference_link(item: dict[str, Any]) -> str | None:
    """The video link of an event's conference (Meet or an add-on), if it has one.

    ``hangoutLink`` is Meet-only; the ``video`` entry point covers every conference
    solution, so it is read first.
    """
    entry_points = (item.get("conferenceData") or {}).get("entryPoints", [])
    video = (e.get("uri") for e in entry_points if e.get("entryPointType") == "video")
    return next(video, None) or item.get("hangoutLink")
