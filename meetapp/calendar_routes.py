"""HTTP endpoints of the OAuth link flow (the browser leaves the app for the provider).

Mounted by the app as plain Starlette routes: ``routes`` below.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from meetapp import routes as paths
from meetapp.config import get_settings
from meetapp.db import open_session
from meetapp.models import User
from meetapp.services import auth
from meetapp.services.calendar_links import finish_oauth, start_oauth
from meetapp.services.errors import InvalidInput, ServiceError

SESSION_COOKIE = "meetapp_session"  # the cookie meetapp.state.session.SessionState sets


def _app_redirect(path: str, **query: str) -> RedirectResponse:
    url = f"{get_settings().public_base_url}{path}"
    return RedirectResponse(f"{url}?{urlencode(query)}" if query else url, status_code=303)


def _signed_in(request: Request) -> User | None:
    with open_session() as db:
        return auth.user_for_token(db, request.cookies.get(SESSION_COOKIE, ""))


def _error_code(error: ServiceError) -> str:
    # Only a code travels in the URL; the page maps it to text, so no one can make
    # our page display words of their choosing.
    return error.field if isinstance(error, InvalidInput) else "failed"


async def oauth_start(request: Request) -> RedirectResponse:
    """Send the signed-in browser to the provider's consent screen."""
    user = _signed_in(request)
    if user is None:
        return _app_redirect(paths.SIGN_IN)
    provider = request.path_params["provider"]
    raw_connection = request.query_params.get("connection", "")
    # Built from the configured public URL, not the request's Host header: behind a
    # proxy that header (and the scheme) differ from the URI registered at the provider.
    redirect_uri = get_settings().api_url + paths.CALENDAR_OAUTH_CALLBACK.format(provider=provider)
    try:
        with open_session() as db:
            url = start_oauth(
                db,
                user.id,
                provider,
                redirect_uri,
                connection_id=int(raw_connection) if raw_connection.isdigit() else None,
            )
    except ServiceError as error:
        return _app_redirect(paths.CALENDARS, error=_error_code(error))
    return RedirectResponse(url, status_code=302)


async def oauth_callback(request: Request) -> RedirectResponse:
    """Finish the link and go back to "Manage calendars"."""
    user = _signed_in(request)
    if user is None:
        return _app_redirect(paths.SIGN_IN)
    query = request.query_params
    if query.get("error") or not query.get("code"):
        # The user pressed Cancel (access_denied) or the provider refused.
        return _app_redirect(paths.CALENDARS, error="consent")
    try:
        await finish_oauth(
            user.id, request.path_params["provider"], query.get("state", ""), query["code"]
        )
    except ServiceError as error:
        return _app_redirect(paths.CALENDARS, error=_error_code(error))
    return _app_redirect(paths.CALENDARS, linked="1")


routes = [
    Route(paths.CALENDAR_OAUTH_START, oauth_start, name="calendar_oauth_start"),
    Route(paths.CALENDAR_OAUTH_CALLBACK, oauth_callback, name="calendar_oauth_callback"),
]
