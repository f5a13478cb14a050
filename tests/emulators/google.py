"""Google OAuth 2.0 + Calendar v3 emulator (real paths, JSON shapes and errors)."""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.emulators.common import ADMIN_PREFIX, EmulatorCore
from tests.emulators.google_events import GoogleEventStore
from tests.emulators.oauth import AuthorizationServer

CALENDAR = "/calendar/v3"
_EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")


def google_error(status: int, reason: str, message: str, domain: str = "global") -> dict[str, Any]:
    """Calendar v3's error body."""
    errors = [{"domain": domain, "reason": reason, "message": message}]
    return {"error": {"errors": errors, "code": status, "message": message}}


def _oauth_error(error: str, description: str) -> dict[str, Any]:
    return {"error": error, "error_description": description}


class GoogleEmulator(EmulatorCore):
    """In-memory Google account(s); drive it from tests or via ``/_emulator``."""

    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.oauth = AuthorizationServer(
            self, "Google", "https://accounts.google.com", _oauth_error, rotate_refresh_tokens=False
        )
        self.store = GoogleEventStore(page_size)
        self.app = self.middleware(self._build_app())

    def add_calendar(self, calendar_id: str, summary: str, **fields: Any) -> dict[str, Any]:
        """Add a calendarList entry (``primary``, ``accessRole``, ``timeZone`` optional)."""
        return self.store.add_calendar(calendar_id, summary, **fields)

    def add_event(self, calendar_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Add or replace an event (Google JSON; ``recurrence`` and exceptions allowed)."""
        with self.lock:
            return self.store.put(calendar_id, event)

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Cancel an event as the user deleting it in Google Calendar would."""
        with self.lock:
            self.store.cancel(calendar_id, event_id)

    def events(self, calendar_id: str) -> list[dict[str, Any]]:
        """The stored events of a calendar, cancelled ones included."""
        return list(self.store.calendars[calendar_id]["events"].values())

    def expire_sync_tokens(self) -> None:
        """Forget every sync token, forcing clients into a full sync (410)."""
        self.store.sync_tokens.clear()

    def rate_limit(
        self, path: str, status: int = 429, retry_after: str | None = None, times: int = 1
    ) -> None:
        """Inject Google's 429 or 403 rateLimitExceeded, with or without Retry-After."""
        if status == 429:
            body = google_error(429, "rateLimitExceeded", "Rate Limit Exceeded", "usageLimits")
        else:
            body = google_error(403, "rateLimitExceeded", "Rate Limit Exceeded", "usageLimits")
        headers = {"Retry-After": retry_after} if retry_after else None
        self.inject_fault(path, status, body, headers, times)

    def _build_app(self) -> Starlette:
        routes = [
            Route("/o/oauth2/v2/auth", self.oauth.authorize),
            Route("/o/oauth2/v2/auth/approve", self.oauth.approve),
            Route("/token", self.oauth.token, methods=["POST"]),
            Route("/revoke", self.oauth.revoke, methods=["POST"]),
            Route(f"{CALENDAR}/users/me/calendarList", self._calendar_list),
            Route(f"{CALENDAR}/calendars/{{cal}}/events", self._events, methods=["GET", "POST"]),
            Route(
                f"{CALENDAR}/calendars/{{cal}}/events/{{event_id}}",
                self._event,
                methods=["GET", "PATCH", "DELETE"],
            ),
            *self.admin_routes(),
            Route(f"{ADMIN_PREFIX}/calendars", self._admin_calendars, methods=["POST"]),
            Route(f"{ADMIN_PREFIX}/events", self._admin_events, methods=["GET", "POST"]),
        ]
        return Starlette(routes=routes)

    def _authorized(self, request: Request) -> bool:
        return self.grant_for(request) is not None

    async def _calendar_list(self, request: Request) -> Response:
        if not self._authorized(request):
            return _unauthorized()
        with self.lock:
            return JSONResponse(self.store.calendar_list(request.query_params))

    async def _events(self, request: Request) -> Response:
        if not self._authorized(request):
            return _unauthorized()
        cal = request.path_params["cal"]
        if cal not in self.store.calendars:
            return JSONResponse(google_error(404, "notFound", "Not Found"), 404)
        if request.method == "GET":
            with self.lock:
                status, body = self.store.list_events(cal, request.query_params)
            return JSONResponse(body, status)
        event = await request.json()
        if "id" in event and not _EVENT_ID.match(event["id"]):
            return JSONResponse(google_error(400, "invalid", "Invalid resource id value."), 400)
        with self.lock:
            if event.get("id") in self.store.calendars[cal]["events"]:
                return JSONResponse(
                    google_error(409, "duplicate", "The requested identifier already exists."), 409
                )
            event.setdefault("id", secrets.token_hex(13))
            created = self.store.put(cal, _with_conference(event, request.query_params))
        return JSONResponse(created)

    async def _event(self, request: Request) -> Response:
        if not self._authorized(request):
            return _unauthorized()
        cal, event_id = request.path_params["cal"], request.path_params["event_id"]
        with self.lock:
            event = self.store.calendars.get(cal, {}).get("events", {}).get(event_id)
            if event is None:
                return JSONResponse(google_error(404, "notFound", "Not Found"), 404)
            if request.method == "GET":
                return JSONResponse(event)
            if event.get("status") == "cancelled":
                return JSONResponse(google_error(410, "deleted", "Resource has been deleted"), 410)
            if request.method == "DELETE":
                self.store.cancel(cal, event_id)
                return Response(status_code=204)
        patch = await request.json()
        with self.lock:
            return JSONResponse(self.store.put(cal, {**event, **patch, "id": event_id}))

    async def _admin_calendars(self, request: Request) -> Response:
        body = await request.json()
        return JSONResponse(self.add_calendar(body.pop("id"), body.pop("summary"), **body))

    async def _admin_events(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(self.events(request.query_params["calendar_id"]))
        body = await request.json()
        return JSONResponse(self.add_event(body["calendar_id"], body["event"]))


def _with_conference(event: dict[str, Any], query: Any) -> dict[str, Any]:
    """Answer a conference createRequest as events.insert does.

    Google reads ``conferenceData`` only from clients that send conferenceDataVersion=1
    and drops it otherwise.
    """
    request = (event.get("conferenceData") or {}).get("createRequest")
    if query.get("conferenceDataVersion") != "1" or not request:
        return {k: v for k, v in event.items() if k != "conferenceData"}
    code = "-".join(
        "".join(secrets.choice(string.ascii_lowercase) for _ in range(n)) for n in (3, 4, 3)
    )
    link = f"https://meet.google.com/{code}"
    conference = {
        "createRequest": {**request, "status": {"statusCode": "success"}},
        "entryPoints": [
            {"entryPointType": "video", "uri": link, "label": link.removeprefix("https://")},
            {
                "entryPointType": "more",
                "uri": f"https://tel.meet/{code}?pin=1234567890123",
                "pin": "1234567890123",
            },
        ],
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
        "conferenceId": code,
    }
    return {**event, "hangoutLink": link, "conferenceData": conference}


def _unauthorized() -> JSONResponse:
    body = google_error(401, "authError", "Invalid Credentials")
    body["error"]["errors"][0] |= {"location": "Authorization", "locationType": "header"}
    body["error"]["status"] = "UNAUTHENTICATED"
    return JSONResponse(
        body, 401, headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
    )
