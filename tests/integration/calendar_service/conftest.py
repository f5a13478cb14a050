"""Fixtures: app settings pointed at the emulators, a user, the OAuth routes, a mailbox."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import caldav
import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette

from meetapp import calendar_routes
from meetapp.config import get_settings
from meetapp.crypto import _fernet
from meetapp.db import get_engine, open_session
from meetapp.models import Meeting, Membership, Room, User
from meetapp.realtime import changes
from meetapp.services import auth, booking
from meetapp.services.availability import share_availability
from meetapp.services.outbox_worker import deliver_due_jobs
from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator
from tests.emulators.radicale import CalDavAccount, radicale  # noqa: F401  (a fixture)
from tests.emulators.server import serve_in_thread
from tests.emulators.settings import provider_settings
from tests.integration.booking.conftest import at, rules
from tests.integration.calendars.conftest import consent
from tests.integration.notifications.conftest import RecordingHandler, free_port

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
GOOGLE_CAL = "primary@example.com"
EVENTS = f"/calendar/v3/calendars/{GOOGLE_CAL}/events"
MS_CAL = "cal-main"
MS_TOKEN = "/common/oauth2/v2.0/token"
BOB_ZONE = "America/New_York"


@pytest.fixture
def google() -> Iterator[tuple[GoogleEmulator, str]]:
    emulator = GoogleEmulator(page_size=2)
    emulator.add_calendar(GOOGLE_CAL, "Alice", primary=True, timeZone="Europe/Berlin")
    emulator.add_calendar("holidays", "Holidays", accessRole="reader")
    base_url, stop = serve_in_thread(emulator.app)
    yield emulator, base_url
    stop()


@pytest.fixture
def microsoft() -> Iterator[tuple[MicrosoftEmulator, str]]:
    emulator = MicrosoftEmulator(page_size=2)
    emulator.add_calendar(MS_CAL, "Calendar", is_default=True)
    base_url, stop = serve_in_thread(emulator.app)
    yield emulator, base_url
    stop()


@pytest.fixture
def settings_env(monkeypatch, tmp_path, sqlite_url, google, microsoft) -> Iterator[None]:
    """Point the process's settings (and so every service) at the emulators."""
    _, google_url = google
    _, microsoft_url = microsoft
    env = {
        "MEETAPP_DATA_DIR": str(tmp_path / "data"),
        "MEETAPP_DATABASE_URL": sqlite_url,
        "MEETAPP_PUBLIC_URL": "http://app.test",
        **provider_settings(google_url, microsoft_url),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MEETAPP_ENCRYPTION_KEY", raising=False)
    _clear_caches()
    yield
    get_engine().dispose()
    _clear_caches()


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    _fernet.cache_clear()


@pytest.fixture
def work_calendar(radicale: str) -> caldav.Calendar:  # noqa: F811  (the fixture)
    """A fresh, empty calendar on Radicale, of the account tests link with CalDAV."""
    return (
        CalDavAccount(radicale)
        .client()
        .principal()
        .make_calendar(name="Work", cal_id=uuid.uuid4().hex)
    )


@pytest.fixture
def user(settings_env, engine: Engine) -> User:
    with open_session(engine) as db:
        alice = User(
            email="alice@example.com", name="Alice", password_hash="x", timezone="Europe/Berlin"
        )
        db.add(alice)
    return alice


@pytest.fixture
async def browser(user: User, engine: Engine) -> httpx.AsyncClient:
    """Alice's signed-in browser, talking to the OAuth routes."""
    with open_session(engine) as db:
        token = auth.start_session(db, user)
    app = Starlette(routes=calendar_routes.routes)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://app.test",
        cookies={"meetapp_session": token},
    ) as client:
        yield client


@pytest.fixture
async def http() -> httpx.AsyncClient:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def link_oauth(
    browser: httpx.AsyncClient, http: httpx.AsyncClient, provider: str, connection_id=None
) -> httpx.Response:
    """Click "Connect", Allow at the emulator, and follow the callback; return its answer."""
    start = "/calendars/oauth/" + provider + "/start"
    params = {"connection": str(connection_id)} if connection_id else None
    to_provider = await browser.get(start, params=params)
    assert to_provider.status_code == 302, to_provider.text
    back = await consent(http, to_provider.headers["location"])
    return await browser.get(f"/calendars/oauth/{provider}/callback", params=back)


@pytest.fixture
def mailbox(settings_env, monkeypatch) -> Iterator[RecordingHandler]:
    """A real SMTP server on loopback that the app's emails go to."""
    inbox = RecordingHandler()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("MEETAPP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MEETAPP_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("MEETAPP_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    yield inbox
    controller.stop()


@pytest.fixture
def published() -> Iterator[list[frozenset[str]]]:
    """Every batch of live-update topics published (after commit) during the test."""
    batches: list[frozenset[str]] = []
    changes.add_local_listener(batches.append)
    yield batches
    changes._local_listeners.remove(batches.append)


@pytest.fixture
def bob(user, engine) -> User:
    """Alice's client, in a room with her where she shares her availability."""
    with open_session(engine) as db:
        bob = User(email="bob@example.com", name="Bob", password_hash="x", timezone=BOB_ZONE)
        room = Room(name="Project")
        db.add_all([bob, room])
        db.flush()
        db.add_all([Membership(room_id=room.id, user_id=i) for i in (user.id, bob.id)])
    return bob


def book(engine, host: User, guest: User) -> Meeting:
    """The guest books the host's Kick-off invite at 2026-03-03 15:00 UTC."""
    with open_session(engine) as db:
        room_id = db.exec(select(Membership.room_id).where(Membership.user_id == guest.id)).one()
        invite = share_availability(db, room_id, host, rules(note="Kick-off"), NOW)
    return booking.book(invite.id, guest, at("2026-03-03T15:00"), NOW, engine)


async def run_outbox(engine, minutes_ahead: int = 5) -> int:
    """Deliver the due outbox jobs; return how many succeeded.

    Jobs are stamped with the real clock when enqueued, so the worker's "now" is later.
    """
    return await deliver_due_jobs(datetime.now(UTC) + timedelta(minutes=minutes_ahead), engine)


def live(events: list[dict]) -> list[dict]:
    """The events of an emulated Google calendar that are not cancelled."""
    return [e for e in events if e.get("status") != "cancelled"]
