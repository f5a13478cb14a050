"""Microsoft identity platform v2 + Graph calendar emulator (real paths, shapes, errors)."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.emulators.common import ADMIN_PREFIX, EmulatorCore
from tests.emulators.microsoft_events import GraphMailbox, render
from tests.emulators.oauth import AuthorizationServer

GRAPH = "/v1.0"
_MAX_PAGE = re.compile(r"odata\.maxpagesize=(\d+)")
_ZONE = re.compile(r'outlook\.timezone="([^"]+)"')
_AADSTS = {
    "invalid_grant": (
        70008,
        "The provided authorization code or refresh token has expired "
        "due to inactivity. The token was issued on 2026-01-01T00:00:00Z.",
    ),
    "invalid_client": (7000215, "Invalid client secret provided."),
}


def graph_error(code: str, message: str) -> dict[str, Any]:
    """Graph's error body."""
    inner = {"date": datetime.now(UTC).isoformat(), "request-id": secrets.token_hex(8)}
    return {"error": {"code": code, "message": message, "innerError": inner}}


def _aad_error(error: str, description: str) -> dict[str, Any]:
    number, text = _AADSTS.get(error, (50000, description))
    return {
        "error": error,
        "error_description": f"AADSTS{number}: {text} Trace ID: {secrets.token_hex(8)}",
        "error_codes": [number],
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
        "trace_id": secrets.token_hex(8),
        "correlation_id": secrets.token_hex(8),
        "error_uri": f"https://login.microsoftonline.com/error?code={number}",
    }


class MicrosoftEmulator(EmulatorCore):
    """In-memory Microsoft 365 mailbox; drive it from tests or via ``/_emulator``."""

    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.oauth = AuthorizationServer(
            self,
            "Microsoft",
            "https://login.microsoftonline.com/emulator/v2.0",
            _aad_error,
            rotate_refresh_tokens=True,
        )
        self.mailbox = GraphMailbox()
        self.page_size = page_size
        self._pages: dict[str, tuple[list[dict[str, Any]], str | None]] = {}
        self.app = self.middleware(self._build_app())

    def add_calendar(self, calendar_id: str, name: str, is_default: bool = False) -> dict:
        """Add a calendar to the mailbox."""
        return self.mailbox.add_calendar(calendar_id, name, is_default)

    def add_event(
        self, calendar_id: str, start: datetime, end: datetime, **fields: Any
    ) -> dict[str, Any]:
        """Add an event; ``recurrence`` is an RRULE string, ``originalStartTimeZone`` its zone."""
        with self.lock:
            return self.mailbox.put(calendar_id, {"_start": start, "_end": end, **fields})

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete an event as the user would in Outlook."""
        with self.lock:
            self.mailbox.remove(calendar_id, event_id)

    def cancel_occurrence(self, calendar_id: str, master_id: str, original_start: datetime) -> None:
        """Delete one occurrence of a series."""
        with self.lock:
            self.mailbox.cancel_occurrence(calendar_id, master_id, original_start)

    def events(self, calendar_id: str) -> list[dict[str, Any]]:
        """The stored events of a calendar, rendered in UTC."""
        return [render(e, "UTC") for e in self.mailbox.calendars[calendar_id]["events"].values()]

    def expire_delta_tokens(self) -> None:
        """Forget every delta token (the next delta call answers 410)."""
        self.mailbox.delta_tokens.clear()

    def _build_app(self) -> Starlette:
        events = f"{GRAPH}/me/calendars/{{cal}}/events"
        return Starlette(
            routes=[
                Route("/{tenant}/oauth2/v2.0/authorize", self.oauth.authorize),
                Route("/{tenant}/oauth2/v2.0/authorize/approve", self.oauth.approve),
                Route("/{tenant}/oauth2/v2.0/token", self.oauth.token, methods=["POST"]),
                Route(f"{GRAPH}/me", self._me),
                Route(f"{GRAPH}/me/calendars", self._calendars),
                Route(f"{GRAPH}/me/calendars/{{cal}}/calendarView/delta", self._delta),
                Route(events, self._create, methods=["POST"]),
                Route(f"{events}/{{event_id}}", self._event, methods=["GET", "PATCH", "DELETE"]),
                *self.admin_routes(),
                Route(f"{ADMIN_PREFIX}/events", self._admin_events, methods=["GET", "POST"]),
            ]
        )

    def _grant_email(self, request: Request) -> str | None:
        grant = self.grant_for(request)
        return grant.email if grant else None

    async def _me(self, request: Request) -> Response:
        email = self._grant_email(request)
        if email is None:
            return _unauthorized()
        return JSONResponse({"id": "emulator-user", "mail": email, "userPrincipalName": email})

    async def _calendars(self, request: Request) -> Response:
        if self._grant_email(request) is None:
            return _unauthorized()
        with self.lock:
            items = None
            if "$skiptoken" not in request.query_params:
                items = [c["entry"] for c in self.mailbox.calendars.values()]
            return JSONResponse(self._page(request, items, None))

    async def _delta(self, request: Request) -> Response:
        if self._grant_email(request) is None:
            return _unauthorized()
        cal, query = request.path_params["cal"], request.query_params
        zone = (_ZONE.search(request.headers.get("prefer", "")) or [None, "UTC"])[1]
        with self.lock:
            if "$skiptoken" in query:
                return JSONResponse(self._page(request, None, None))
            if "$deltatoken" in query:
                state = self.mailbox.delta_tokens.get(query["$deltatoken"])
                if state is None:
                    message = "The sync state generation was not found or is no longer valid."
                    return JSONResponse(graph_error("SyncStateNotFound", message), 410)
                _, since, start, end, previous = state
                view = self.mailbox.view(cal, start, end)
                items = [
                    render(e, zone)
                    for i, e in view.items()
                    if e["_seq"] > since or i not in previous
                ]
                items += [
                    {"id": i, "@removed": {"reason": "deleted"}} for i in previous - set(view)
                ]
            else:
                start = datetime.fromisoformat(query["startDateTime"]).replace(tzinfo=UTC)
                end = datetime.fromisoformat(query["endDateTime"]).replace(tzinfo=UTC)
                items = [render(e, zone) for e in self.mailbox.view(cal, start, end).values()]
            token = self.mailbox.new_delta_token(cal, start, end)
            delta_link = str(request.url.replace(query=f"$deltatoken={token}"))
            return JSONResponse(self._page(request, items, delta_link))

    async def _create(self, request: Request) -> Response:
        if self._grant_email(request) is None:
            return _unauthorized()
        cal, body = request.path_params["cal"], await request.json()
        with self.lock:
            for event in self.mailbox.calendars[cal]["events"].values():
                if (
                    body.get("transactionId")
                    and event.get("transactionId") == body["transactionId"]
                ):
                    return JSONResponse(render(event, "UTC"), 201)
            stored = self.mailbox.put(cal, _from_graph(body) | _online_meeting(body))
            return JSONResponse(render(stored, "UTC"), 201)

    async def _event(self, request: Request) -> Response:
        if self._grant_email(request) is None:
            return _unauthorized()
        cal, event_id = request.path_params["cal"], request.path_params["event_id"]
        with self.lock:
            event = self.mailbox.calendars.get(cal, {}).get("events", {}).get(event_id)
            if event is None:
                message = "The specified object was not found in the store."
                return JSONResponse(graph_error("ErrorItemNotFound", message), 404)
            if request.method == "GET":
                return JSONResponse(render(event, "UTC"))
            if request.method == "DELETE":
                self.mailbox.remove(cal, event_id)
                return Response(status_code=204)
        patch = _from_graph(await request.json())
        with self.lock:
            return JSONResponse(render(self.mailbox.put(cal, event | patch), "UTC"))

    async def _admin_events(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(self.events(request.query_params["calendar_id"]))
        body = await request.json()
        start = datetime.fromisoformat(body.pop("start"))
        end = datetime.fromisoformat(body.pop("end"))
        return JSONResponse(
            render(self.add_event(body.pop("calendar_id"), start, end, **body), "UTC")
        )

    def _page(self, request: Request, items: list | None, delta_link: str | None) -> dict:
        if items is None:
            items, delta_link = self._pages.pop(request.query_params["$skiptoken"])
        wanted = _MAX_PAGE.search(request.headers.get("prefer", ""))
        size = min(int(wanted[1]) if wanted else 10, self.page_size)
        body: dict[str, Any] = {"value": items[:size]}
        if len(items) > size:
            skip = secrets.token_urlsafe(8)
            self._pages[skip] = (items[size:], delta_link)
            body["@odata.nextLink"] = str(request.url.replace(query=f"$skiptoken={skip}"))
        elif delta_link:
            body["@odata.deltaLink"] = delta_link
        return body


def _from_graph(body: dict[str, Any]) -> dict[str, Any]:
    """Graph JSON from a client into the mailbox's stored form."""
    fields = {k: v for k, v in body.items() if k not in ("start", "end")}
    for key in ("start", "end"):
        if key in body:
            moment = datetime.fromisoformat(body[key]["dateTime"])
            fields[f"_{key}"] = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    return fields


def _online_meeting(body: dict[str, Any]) -> dict[str, Any]:
    """The Teams meeting Graph attaches to an event created with ``isOnlineMeeting``."""
    if not body.get("isOnlineMeeting"):
        return {"isOnlineMeeting": False, "onlineMeetingProvider": "unknown", "onlineMeeting": None}
    thread = quote(f"19:meeting_{secrets.token_urlsafe(36)}@thread.v2", safe="")
    context = quote(json.dumps({"Tid": str(uuid.uuid4()), "Oid": str(uuid.uuid4())}), safe="")
    join_url = f"https://teams.microsoft.com/l/meetup-join/{thread}/0?context={context}"
    return {
        "onlineMeetingProvider": body.get("onlineMeetingProvider", "teamsForBusiness"),
        "onlineMeeting": {"joinUrl": join_url},
    }


def _unauthorized() -> JSONResponse:
    body = graph_error(
        "InvalidAuthenticationToken", "Access token has expired or is not yet valid."
    )
    return JSONResponse(body, 401)
