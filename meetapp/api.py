"""Plain HTTP routes beside the Reflex app: the .ics download and the built-in join page.

The app mounts `api` (``api_transformer=api``). Both routes read the session cookie and
answer 404 to anyone who is not in the meeting's room, so nothing leaks.
"""

from __future__ import annotations

from html import escape

from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from meetapp.db import open_session
from meetapp.models import Meeting, MeetingStatus
from meetapp.services.auth import user_for_token
from meetapp.services.errors import NotFound
from meetapp.services.meeting_events import meeting_title, participants
from meetapp.services.meetings import meeting_ics
from meetapp.services.rooms import require_member

SESSION_COOKIE = "meetapp_session"  # the cookie meetapp.state.session.SessionState sets
ICS_ROUTE = "/api/meetings/{meeting_id:int}.ics"
JOIN_ROUTE = "/meet/{token:str}"


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404)


def build_api(engine: Engine | None = None) -> Starlette:
    """The Starlette app serving the meeting routes.

    Args:
        engine: Database engine; the configured one by default (tests pass their own).

    Returns:
        The app.
    """

    def ics_download(request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        with open_session(engine) as db:
            user = user_for_token(db, request.cookies.get(SESSION_COOKIE, ""))
            if user is None:
                return _not_found()
            try:
                content = meeting_ics(db, meeting_id, user.id)
            except NotFound:
                return _not_found()
        return Response(
            content,
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="meeting-{meeting_id}.ics"',
                "Cache-Control": "private, no-store",
            },
        )

    def join_page(request: Request) -> Response:
        token = request.path_params["token"]
        with open_session(engine) as db:
            user = user_for_token(db, request.cookies.get(SESSION_COOKIE, ""))
            meeting = db.exec(select(Meeting).where(Meeting.join_token == token)).first()
            if user is None or meeting is None:
                return _not_found()
            try:
                require_member(db, meeting.room_id, user.id)
            except NotFound:
                return _not_found()
            title = meeting_title(participants(db, meeting.id))
            cancelled = meeting.status == MeetingStatus.CANCELLED
            conference = meeting.conference_url
        if conference and not cancelled:
            # Links shared before the host's calendar created the Meet/Teams call lead there.
            return RedirectResponse(conference, status_code=303)
        note = "<p>This meeting was cancelled.</p>" if cancelled else ""
        page = (
            "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
            f"<title>Meeting room for {escape(title)}</title></head>"
            f"<body><h1>Meeting room for {escape(title)}</h1>{note}</body></html>\n"
        )
        return HTMLResponse(page, headers={"Cache-Control": "private, no-store"})

    return Starlette(
        routes=[Route(ICS_ROUTE, ics_download), Route(JOIN_ROUTE, join_page)],
    )


api = build_api()
