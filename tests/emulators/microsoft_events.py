"""The Microsoft emulator's mailbox: events, occurrences and calendarView delta state."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr


def graph_time(moment: datetime, zone: str) -> dict[str, str]:
    """Graph's dateTimeTimeZone: wall time with seven fractional digits, plus the zone."""
    local = moment.astimezone(UTC if zone == "UTC" else ZoneInfo(zone)).replace(tzinfo=None)
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone}


class GraphMailbox:
    """Events keep aware UTC ``_start``/``_end``; JSON is rendered per request's Prefer zone."""

    def __init__(self) -> None:
        self.calendars: dict[str, dict[str, Any]] = {}
        self.delta_tokens: dict[str, tuple[str, int, datetime, datetime, set[str]]] = {}
        self._seq = 0

    def add_calendar(self, calendar_id: str, name: str, is_default: bool = False) -> dict:
        entry = {"id": calendar_id, "name": name, "isDefaultCalendar": is_default, "canEdit": True}
        self.calendars[calendar_id] = {"entry": entry, "events": {}}
        return entry

    def put(self, calendar_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Store an event; ``recurrence`` here is an RRULE string (the emulator's shorthand)."""
        self._seq += 1
        event.setdefault("id", "AAMkAG" + secrets.token_urlsafe(12))
        defaults = {
            "showAs": "busy",
            "isCancelled": False,
            "isAllDay": False,
            "type": "singleInstance",
        }
        defaults["responseStatus"] = {"response": "organizer", "time": "0001-01-01T00:00:00Z"}
        stored = defaults | event | {"_seq": self._seq}
        self.calendars[calendar_id]["events"][stored["id"]] = stored
        return stored

    def remove(self, calendar_id: str, event_id: str) -> bool:
        self._seq += 1
        return self.calendars[calendar_id]["events"].pop(event_id, None) is not None

    def cancel_occurrence(self, calendar_id: str, master_id: str, original_start: datetime) -> None:
        master = self.calendars[calendar_id]["events"][master_id]
        self.put(
            calendar_id, master | {"_cancelled": [*master.get("_cancelled", []), original_start]}
        )

    def view(self, calendar_id: str, start: datetime, end: datetime) -> dict[str, dict[str, Any]]:
        """The calendarView: occurrences overlapping the window, by id."""
        events = self.calendars[calendar_id]["events"].values()
        result: dict[str, dict[str, Any]] = {}
        for event in events:
            if event.get("seriesMasterId"):
                continue
            occurrences = (
                self._occurrences(calendar_id, event) if event.get("recurrence") else [event]
            )
            for occurrence in occurrences:
                if occurrence["_start"] < end and occurrence["_end"] > start:
                    result[occurrence["id"]] = occurrence
        return result

    def new_delta_token(self, calendar_id: str, start: datetime, end: datetime) -> str:
        token = secrets.token_urlsafe(12)
        ids = set(self.view(calendar_id, start, end))
        self.delta_tokens[token] = (calendar_id, self._seq, start, end, ids)
        return token

    def _occurrences(self, calendar_id: str, master: dict[str, Any]) -> list[dict[str, Any]]:
        zone = ZoneInfo(master.get("originalStartTimeZone", "UTC"))
        first = master["_start"].astimezone(zone)
        duration = master["_end"] - master["_start"]
        events = self.calendars[calendar_id]["events"]
        cancelled = set(master.get("_cancelled", []))
        result = []
        for start in rrulestr(master["recurrence"], dtstart=first):
            original = start.astimezone(UTC)
            if original in cancelled:
                continue
            occurrence_id = f"{master['id']}_{original:%Y%m%dT%H%M%S}"
            if occurrence_id in events:  # a moved or edited occurrence ("exception")
                result.append(events[occurrence_id])
                continue
            fields = {k: v for k, v in master.items() if k not in ("recurrence", "_cancelled")}
            fields |= {"id": occurrence_id, "type": "occurrence", "seriesMasterId": master["id"]}
            result.append(fields | {"_start": original, "_end": original + duration})
        return result


def render(event: dict[str, Any], zone: str) -> dict[str, Any]:
    """An event as Graph sends it, its times in the zone the client preferred."""
    body = {k: v for k, v in event.items() if not k.startswith("_") and k != "recurrence"}
    if event.get("isAllDay"):
        # All-day events are dates; Graph labels their midnights with the preferred zone.
        body["start"] = graph_time(event["_start"].replace(tzinfo=UTC), "UTC") | {"timeZone": zone}
        body["end"] = graph_time(event["_end"].replace(tzinfo=UTC), "UTC") | {"timeZone": zone}
    else:
        body["start"] = graph_time(event["_start"], zone)
        body["end"] = graph_time(event["_end"], zone)
    return body


def all_day(day: datetime, days: int = 1) -> dict[str, Any]:
    """Fields of an all-day event starting on ``day``'s date."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return {"isAllDay": True, "_start": midnight, "_end": midnight + timedelta(days=days)}
