"""Microsoft Graph (Outlook.com / Microsoft 365) calendar adapter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from meetapp.calendars.base import (
    CalendarError,
    EventDraft,
    RemoteCalendar,
    RemoteEvent,
    SyncResult,
    SyncTokenExpired,
    WrittenEvent,
    all_day_bounds,
    sync_with_one_resync,
)
from meetapp.calendars.http import ApiClient, json_body
from meetapp.calendars.tokens import TokenManager

_BUSY_SHOW_AS = {"busy", "oof", "workingElsewhere"}
_SYNC_STATE_CODES = {"syncstatenotfound", "resyncrequired", "syncstateinvalid"}


def classify_graph_error(response: httpx.Response) -> CalendarError | None:
    """Read Graph's error code where its status alone is ambiguous."""
    error = json_body(response).get("error")
    code = str(error.get("code", "")).lower() if isinstance(error, dict) else ""
    if response.status_code == 410 or code in _SYNC_STATE_CODES:
        where = f"{response.request.method} {response.request.url.path}"
        return SyncTokenExpired(f"{where}: delta token no longer valid")
    return None


class MicrosoftCalendarProvider:
    """A linked Microsoft account, as a ``CalendarProvider``."""

    def __init__(
        self,
        tokens: TokenManager,
        http: httpx.AsyncClient,
        user_timezone: str,
        tentative_is_busy: bool = True,
        page_size: int = 50,
    ) -> None:
        # Graph converts every time to UTC for us, so parsing never meets Windows zone names.
        prefer = f'odata.maxpagesize={page_size}, outlook.timezone="UTC"'
        self._tokens = tokens
        self._api = ApiClient(http, tokens, classify_graph_error, {"Prefer": prefer})
        self._base = tokens.config.api_base_url
        self._zone = ZoneInfo(user_timezone)
        self._busy = _BUSY_SHOW_AS | ({"tentative"} if tentative_is_busy else set())

    async def list_calendars(self) -> list[RemoteCalendar]:
        """List the mailbox's calendars; Graph gives calendars no time zone of their own."""
        items, _ = await self._follow(f"{self._base}/me/calendars", {})
        return [
            RemoteCalendar(
                id=item["id"],
                name=item.get("name", ""),
                is_primary=bool(item.get("isDefaultCalendar")),
                can_write=bool(item.get("canEdit")),
                timezone=None,
            )
            for item in items
        ]

    async def sync_events(
        self, calendar_id: str, sync_token: str | None, window_start: datetime, window_end: datetime
    ) -> SyncResult:
        """Sync through calendarView delta, which expands series into occurrences.

        The sync token is Graph's ``@odata.deltaLink``; it remembers the window.
        """
        window = {"startDateTime": _iso(window_start), "endDateTime": _iso(window_end)}
        delta_url = f"{self._calendar_url(calendar_id)}/calendarView/delta"

        async def incremental() -> SyncResult:
            return await self._sync(str(sync_token), {}, full=False)

        async def full() -> SyncResult:
            return await self._sync(delta_url, window, full=True)

        return await sync_with_one_resync(incremental if sync_token else None, full)

    async def create_event(self, calendar_id: str, draft: EventDraft) -> WrittenEvent:
        """Create with ``transactionId`` = uid so Graph drops a retried duplicate."""
        body = {**_event_body(draft), "transactionId": draft.uid}
        if draft.want_conference:
            body |= {"isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness"}
        url = f"{self._calendar_url(calendar_id)}/events"
        response = await self._api.request("POST", url, json=body)
        return _written(response.json())

    async def update_event(
        self, calendar_id: str, event_id: str, draft: EventDraft
    ) -> WrittenEvent:
        """Patch the event; Graph sends the attendees their updates and keeps its Teams meeting."""
        response = await self._api.request(
            "PATCH", self._event_url(calendar_id, event_id), json=_event_body(draft)
        )
        return _written(response.json())

    async def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete the event; a 404 or 410 means it is already gone."""
        await self._api.request("DELETE", self._event_url(calendar_id, event_id), allow=(404, 410))

    async def revoke(self) -> None:
        """Graph cannot revoke one app's tokens; forgetting them is all we can do."""
        await self._tokens.revoke()

    async def _sync(self, url: str, params: dict[str, str], full: bool) -> SyncResult:
        items, delta_link = await self._follow(url, params)
        upserts: list[RemoteEvent] = []
        deleted: list[str] = []
        for item in items:
            if "@removed" in item:
                deleted.append(item["id"])
            else:
                upserts.append(self._remote_event(item))
        return SyncResult(upserts, deleted, delta_link, full)

    async def _follow(self, url: str, params: dict[str, str]) -> tuple[list[dict], str]:
        """Collect every page; nextLink and deltaLink already carry their query."""
        items: list[dict] = []
        next_url: str | None = url
        while next_url:
            # httpx would replace the link's own query with an empty params dict.
            body = (await self._api.request("GET", next_url, params=params or None)).json()
            items.extend(body.get("value", []))
            params = {}
            next_url = body.get("@odata.nextLink")
        return items, body.get("@odata.deltaLink", "")

    def _calendar_url(self, calendar_id: str) -> str:
        return f"{self._base}/me/calendars/{quote(calendar_id, safe='')}"

    def _event_url(self, calendar_id: str, event_id: str) -> str:
        return f"{self._calendar_url(calendar_id)}/events/{quote(event_id, safe='')}"

    def _remote_event(self, item: dict[str, Any]) -> RemoteEvent:
        start, end = _graph_time(item["start"]), _graph_time(item["end"])
        all_day = bool(item.get("isAllDay"))
        if all_day:
            # All-day events are floating dates; Graph still dresses them as midnights.
            start, end = all_day_bounds(start.date(), end.date(), self._zone)
        declined = (item.get("responseStatus") or {}).get("response") == "declined"
        blocks = (
            item.get("showAs", "busy") in self._busy
            and not item.get("isCancelled")
            and not declined
        )
        return RemoteEvent(item["id"], start, end, blocks, all_day)


def _graph_time(value: dict[str, str]) -> datetime:
    zone_name = value.get("timeZone") or "UTC"
    try:
        zone = UTC if zone_name == "UTC" else ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"unexpected Graph time zone {zone_name!r}") from exc
    return datetime.fromisoformat(value["dateTime"]).replace(tzinfo=zone).astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _event_body(draft: EventDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": draft.title,
        "body": {"contentType": "text", "content": draft.description},
        "start": {"dateTime": _iso(draft.start), "timeZone": "UTC"},
        "end": {"dateTime": _iso(draft.end), "timeZone": "UTC"},
        "attendees": [
            {"emailAddress": {"address": email}, "type": "required"}
            for email in draft.attendee_emails
        ],
    }
    if draft.join_url and not draft.want_conference:
        body["location"] = {"displayName": draft.join_url}
    return body


def _written(item: dict[str, Any]) -> WrittenEvent:
    return WrittenEvent(item["id"], (item.get("onlineMeeting") or {}).get("joinUrl"))
