"""Linking Google and Microsoft through the OAuth routes, against the emulators."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import select

from meetapp.config import get_settings
from meetapp.crypto import decrypt_json
from meetapp.db import open_session
from meetapp.models import CalendarConnection, LinkedCalendar, OAuthPending, User
from meetapp.services import auth
from meetapp.services.calendar_accounts import decrypt_tokens
from meetapp.services.calendar_choices import (
    list_connections,
    set_check_conflicts,
    set_receives_meetings,
)
from meetapp.services.calendar_links import disconnect, start_oauth
from meetapp.services.errors import InvalidInput
from tests.integration.calendar_service.conftest import GOOGLE_CAL, link_oauth
from tests.integration.calendars.conftest import consent


def _connections(engine):
    with open_session(engine) as db:
        return db.exec(select(CalendarConnection)).all()


async def test_google_link_end_to_end(browser, http, google, engine, user):
    emulator, _ = google

    done = await link_oauth(browser, http, "google")

    assert done.status_code == 303
    assert done.headers["location"] == "http://app.test/calendars?linked=1"
    (connection,) = _connections(engine)
    assert (connection.provider, connection.account_email) == ("google", "alice@example.com")
    assert connection.status == "active"
    with open_session(engine) as db:
        calendars = {c.remote_id: c for c in db.exec(select(LinkedCalendar))}
        assert db.exec(select(OAuthPending)).all() == []
    assert calendars[GOOGLE_CAL].check_conflicts
    assert calendars[GOOGLE_CAL].receives_meetings
    assert not calendars["holidays"].check_conflicts
    assert not calendars["holidays"].receives_meetings
    assert emulator.count("/token") == 1


async def test_tokens_are_encrypted_at_rest(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")

    (refresh_token,) = emulator.refresh_tokens
    with engine.connect() as raw:
        (stored,) = raw.exec_driver_sql("SELECT credentials FROM calendar_connections").one()
    assert refresh_token not in stored
    assert "access_token" not in stored
    assert decrypt_json(stored)["refresh_token"] == refresh_token


async def test_callback_needs_the_user_who_started(browser, http, google, engine, user):
    start = await browser.get("/calendars/oauth/google/start")
    with open_session(engine) as db:
        mallory = User(email="m@example.com", name="Mallory", password_hash="x")
        db.add(mallory)
        db.flush()
        browser.cookies.set("meetapp_session", auth.start_session(db, mallory))
    back = await consent(http, start.headers["location"])
    done = await browser.get("/calendars/oauth/google/callback", params=back)

    assert done.headers["location"] == "http://app.test/calendars?error=state"
    assert _connections(engine) == []


async def test_state_is_single_use_and_unknown_provider_refused(browser, http, google, user):
    start = await browser.get("/calendars/oauth/google/start")
    back = await consent(http, start.headers["location"])
    first = await browser.get("/calendars/oauth/google/callback", params=back)
    replay = await browser.get("/calendars/oauth/google/callback", params=back)
    other = await browser.get("/calendars/oauth/yahoo/start")

    assert first.headers["location"].endswith("linked=1")
    assert replay.headers["location"].endswith("error=state")
    assert other.headers["location"].endswith("error=provider")


async def test_redirect_uri_is_the_public_one_whatever_the_host_header(browser, user):
    # Behind a proxy the request reaches us as another host; the provider only accepts
    # the redirect URI registered for the public URL.
    start = await browser.get("/calendars/oauth/google/start", headers={"host": "10.0.0.7:8000"})

    query = parse_qs(urlparse(start.headers["location"]).query)
    assert query["redirect_uri"] == ["http://app.test/calendars/oauth/google/callback"]


async def test_start_without_sign_in_goes_to_sign_in(browser, user):
    browser.cookies.clear()
    response = await browser.get("/calendars/oauth/google/start")
    assert response.headers["location"] == "http://app.test/signin"


async def test_denied_consent_shows_an_error(browser, user):
    response = await browser.get(
        "/calendars/oauth/google/callback", params={"error": "access_denied", "state": "x"}
    )
    assert response.headers["location"].endswith("error=consent")


async def test_missing_scopes_are_refused(browser, http, google, engine, user):
    emulator, _ = google
    emulator.oauth.withheld_scopes = {"https://www.googleapis.com/auth/calendar.events"}

    done = await link_oauth(browser, http, "google")

    assert done.headers["location"].endswith("error=consent")
    assert _connections(engine) == []


async def test_microsoft_link_and_relink_keep_one_connection(browser, http, engine, user):
    await link_oauth(browser, http, "microsoft")
    (connection,) = _connections(engine)
    with open_session(engine) as db:
        (calendar,) = db.exec(select(LinkedCalendar)).all()
        set_check_conflicts(db, user.id, calendar.id, False)

    done = await link_oauth(browser, http, "microsoft", connection_id=connection.id)

    assert done.headers["location"].endswith("linked=1")
    (relinked,) = _connections(engine)
    assert relinked.id == connection.id
    assert relinked.credentials != connection.credentials
    with open_session(engine) as db:
        (calendar,) = db.exec(select(LinkedCalendar)).all()
    assert not calendar.check_conflicts  # the user's choice survives a relink


async def test_list_connections_shows_no_secret(browser, http, engine, user):
    await link_oauth(browser, http, "google")
    await link_oauth(browser, http, "microsoft")
    (google_conn, ms_conn) = _connections(engine)
    secrets = [decrypt_tokens(c.credentials) for c in (google_conn, ms_conn)]

    with open_session(engine) as db:
        views = list_connections(db, user.id)

    text = repr(views)
    for tokens in secrets:
        assert tokens.access_token not in text
        assert tokens.refresh_token not in text
    assert google_conn.credentials not in text
    assert [v.provider_label for v in views] == ["Google", "Microsoft"]
    # Linking a second account does not move where meetings go.
    receiving = [c.name for v in views for c in v.calendars if c.receives_meetings]
    assert receiving == ["Alice"]


async def test_receives_meetings_is_single_per_user(browser, http, engine, user):
    await link_oauth(browser, http, "google")
    await link_oauth(browser, http, "microsoft")
    with open_session(engine) as db:
        outlook = db.exec(select(LinkedCalendar).where(LinkedCalendar.name == "Calendar")).one()
        set_receives_meetings(db, user.id, outlook.id)
    with open_session(engine) as db:
        chosen = [
            c.name
            for v in list_connections(db, user.id)
            for c in v.calendars
            if c.receives_meetings
        ]
    assert chosen == ["Calendar"]


async def test_disconnect_revokes_and_forgets(browser, http, google, engine, user):
    emulator, _ = google
    await link_oauth(browser, http, "google")
    (connection,) = _connections(engine)

    await disconnect(user.id, connection.id, engine)

    assert _connections(engine) == []
    assert emulator.count("/revoke") == 1
    assert emulator.refresh_tokens == {}
    with open_session(engine) as db:
        assert db.exec(select(LinkedCalendar)).all() == []


def test_unconfigured_provider_cannot_start(settings_env, monkeypatch, engine, user):
    monkeypatch.delenv("MEETAPP_GOOGLE_CLIENT_ID")
    get_settings.cache_clear()
    with open_session(engine) as db, pytest.raises(InvalidInput, match="not configured"):
        start_oauth(db, user.id, "google", "http://app.test/cb")
