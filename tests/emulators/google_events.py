"""The Google emulator's calendars: events, recurrence expansion, paging and sync tokens."""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def _parse(when: dict[str, str]) -> datetime:
    if "date" in when:
        return datetime.combine(date.fromisoformat(when["date"]), datetime.min.time(), UTC)
    return datetime.fromisoformat(when["dateTime"])


def _param_time(value: str | None, default: datetime) -> datetime:
    return datetime.fromisoformat(value) if value else default


class GoogleEventStore:
    """Calendars with change sequence numbers, so sync tokens can replay changes."""

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.calendars: dict[str, dict[str, Any]] = {}
        self.sync_tokens: dict[str, tuple[str, int, datetime, datetime]] = {}
        self._pages: dict[str, tuple[list[dict[str, Any]], str | None]] = {}
        self._seq = 0

    def add_calendar(self, calendar_id: str, summary: str, **fields: Any) -> dict[str, Any]:
        entry = {
            "kind": "calendar#calendarListEntry",
            "id": calendar_id,
            "summary": summary,
            "timeZone": "UTC",
            "accessRole": "owner",
        } | fields
        self.calendars[calendar_id] = {"entry": entry, "events": {}}
        return entry

    def put(self, calendar_id: str, event: dict[str, Any]) -> dict[str, Any]:
        self._seq += 1
        stored = {"kind": "calendar#event", "status": "confirmed", **event}
        stored["etag"] = f'"{self._seq}"'
        stored["updated"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        self.calendars[calendar_id]["events"][stored["id"]] = stored | {"_seq": self._seq}
        return stored

    def cancel(self, calendar_id: str, event_id: str) -> None:
        event = self.calendars[calendar_id]["events"][event_id]
        self.put(calendar_id, {**_public(event), "status": "cancelled"})

    def calendar_list(self, query: Any) -> dict[str, Any]:
        items = [c["entry"] for c in self.calendars.values()]
        return self._page(query, items, {"kind": "calendar#calendarList"}, None)

    def list_events(self, calendar_id: str, query: Any) -> tuple[int, dict[str, Any]]:
        """events.list: a full listing, a sync from a token, or the next page of either."""
        base = {"kind": "calendar#events", "timeZone": "UTC"}
        if query.get("pageToken"):
            return 200, self._page(query, None, base, None)
        single = query.get("singleEvents") == "true"
        token = query.get("syncToken")
        if token:
            if query.get("timeMin") or query.get("timeMax"):
                return 400, {"error": {"code": 400, "message": "Invalid parameters"}}
            if token not in self.sync_tokens:
                return 410, _sync_token_gone()
            _, since, time_min, time_max = self.sync_tokens[token]
            items = self._changes(calendar_id, since, time_min, time_max, single)
        else:
            time_min = _param_time(query.get("timeMin"), _FAR_PAST)
            time_max = _param_time(query.get("timeMax"), _FAR_FUTURE)
            items = self._listing(calendar_id, time_min, time_max, single)
        next_token = "sync-" + secrets.token_hex(8)
        self.sync_tokens[next_token] = (calendar_id, self._seq, time_min, time_max)
        return 200, self._page(query, items, base, next_token)

    def _page(
        self, query: Any, items: list | None, base: dict[str, Any], sync_token: str | None
    ) -> dict[str, Any]:
        if items is None:
            items, sync_token = self._pages.pop(query["pageToken"])
        size = min(int(query.get("maxResults") or 250), self.page_size)
        body = {**base, "items": [_public(i) for i in items[:size]]}
        if len(items) > size:
            page_token = "page-" + secrets.token_hex(8)
            self._pages[page_token] = (items[size:], sync_token)
            body["nextPageToken"] = page_token
        elif sync_token:
            body["nextSyncToken"] = sync_token
        return body

    def _listing(
        self, calendar_id: str, time_min: datetime, time_max: datetime, single: bool
    ) -> list[dict[str, Any]]:
        events = self.calendars[calendar_id]["events"].values()
        result = []
        for event in events:
            if event.get("recurringEventId") or event["status"] == "cancelled":
                continue
            if single and event.get("recurrence"):
                instances = self._instances(calendar_id, event, time_min, time_max)
                result += [i for i in instances if i["status"] != "cancelled"]
            elif _parse(event["start"]) < time_max and _parse(event["end"]) > time_min:
                result.append(event)
        return result

    def _changes(
        self, calendar_id: str, since: int, time_min: datetime, time_max: datetime, single: bool
    ) -> list[dict[str, Any]]:
        changed = [e for e in self.calendars[calendar_id]["events"].values() if e["_seq"] > since]
        result = []
        for event in changed:
            if event.get("recurrence") and single and event["status"] != "cancelled":
                result += self._instances(calendar_id, event, time_min, time_max)
            elif event["status"] == "cancelled":
                result.append({"kind": "calendar#event", "id": event["id"], "status": "cancelled"})
            else:
                result.append(event)
        return result

    def _instances(
        self, calendar_id: str, master: dict[str, Any], time_min: datetime, time_max: datetime
    ) -> list[dict[str, Any]]:
        """Expand a series the way singleEvents=true does, applying its exceptions."""
        zone = ZoneInfo(master["start"].get("timeZone", "UTC"))
        first = _parse(master["start"]).astimezone(zone)
        duration = _parse(master["end"]) - _parse(master["start"])
        rule = rrulestr("\n".join(master["recurrence"]), dtstart=first, forceset=True)
        events = self.calendars[calendar_id]["events"]
        instances = []
        for start in rule.between(time_min - duration, time_max, inc=True):
            start = start.replace(tzinfo=zone)
            instance_id = f"{master['id']}_{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            if instance_id in events:
                instances.append(events[instance_id])
                continue
            instance = {k: copy.deepcopy(v) for k, v in master.items() if k != "recurrence"}
            original = {"dateTime": start.isoformat(), "timeZone": zone.key}
            instance |= {"id": instance_id, "recurringEventId": master["id"]}
            instance |= {"originalStartTime": original, "start": original}
            instance["end"] = {"dateTime": (start + duration).isoformat(), "timeZone": zone.key}
            instances.append(instance)
        return instances


def _public(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if not k.startswith("_")}


def _sync_token_gone() -> dict[str, Any]:
    message = "Sync token is no longer valid, a full sync is required."
    errors = [{"domain": "global", "reason": "fullSyncRequired", "message": message}]
    return {"error": {"code": 410, "message": message, "errors": errors}}
