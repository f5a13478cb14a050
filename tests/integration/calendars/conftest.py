"""Fixtures: provider emulators on loopback, a real Radicale server, and token plumbing."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import caldav
import httpx
import pytest

from meetapp.calendars.base import EventDraft
from meetapp.calendars.oauth import OAuthConfig, TokenSet, google_config, microsoft_config
from meetapp.calendars.tokens import TokenManager
from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator
from tests.emulators.radicale import radicale  # noqa: F401  (a fixture)
from tests.emulators.server import serve_in_thread

USER_ZONE = "America/New_York"


class SavedTokens:
    """Stands in for the encrypted token column: records every persisted token set."""

    def __init__(self) -> None:
        self.saved: list[TokenSet] = []

    async def __call__(self, tokens: TokenSet) -> None:
        self.saved.append(tokens)


@pytest.fixture
def google() -> Iterator[tuple[GoogleEmulator, str]]:
    emulator = GoogleEmulator(page_size=2)
    emulator.add_calendar("primary@example.com", "Alice", primary=True, timeZone=USER_ZONE)
    base_url, stop = serve_in_thread(emulator.app)
    yield emulator, base_url
    stop()


@pytest.fixture
def microsoft() -> Iterator[tuple[MicrosoftEmulator, str]]:
    emulator = MicrosoftEmulator(page_size=2)
    emulator.add_calendar("cal-main", "Calendar", is_default=True)
    base_url, stop = serve_in_thread(emulator.app)
    yield emulator, base_url
    stop()


@pytest.fixture
def google_cfg(google: tuple[GoogleEmulator, str]) -> OAuthConfig:
    _, base = google
    return google_config(
        "emulator-client", "emulator-secret", base, base, api_base_url=f"{base}/calendar/v3"
    )


@pytest.fixture
def microsoft_cfg(microsoft: tuple[MicrosoftEmulator, str]) -> OAuthConfig:
    _, base = microsoft
    return microsoft_config(
        "emulator-client", "emulator-secret", base, graph_base_url=f"{base}/v1.0"
    )


@pytest.fixture
async def http() -> httpx.AsyncClient:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def token_set(body: dict, expires_in: float = 3600) -> TokenSet:
    """A TokenSet from an emulator grant, expiring ``expires_in`` seconds from now."""
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
        scopes=frozenset(body["scope"].split()),
        account_email="alice@example.com",
    )


def manager(
    config: OAuthConfig, emulator, http: httpx.AsyncClient, saved: SavedTokens, expires_in=3600
) -> TokenManager:
    """A TokenManager over a fresh grant of every scope the config asks for."""
    grant = emulator.oauth.grant(list(config.scopes))
    return TokenManager(config, token_set(grant, expires_in), http, saved)


@pytest.fixture
def caldav_calendar(radicale: str) -> caldav.Calendar:  # noqa: F811  (the fixture)
    """A fresh, empty calendar of alice's on Radicale (seeded through the caldav library)."""
    client = caldav.DAVClient(url=radicale, username="alice", password="secret")
    return client.principal().make_calendar(name="Work", cal_id=uuid.uuid4().hex)


MEETING_START = datetime(2026, 3, 20, 15, tzinfo=UTC)


def meeting(uid: str, join_url: str | None = None, want_conference: bool = False) -> EventDraft:
    """A 30-minute meeting draft on 2026-03-20 15:00 UTC."""
    end = MEETING_START + timedelta(minutes=30)
    return EventDraft(
        uid, "Sync", "Room link", MEETING_START, end, ["bob@example.com"], join_url, want_conference
    )


def rescheduled(uid: str) -> EventDraft:
    """The same meeting moved two hours later, with a new description."""
    start = MEETING_START + timedelta(hours=2)
    return EventDraft(uid, "Sync", "Moved", start, start + timedelta(hours=1))


class SleepRecorder:
    """An injected sleep that records delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


async def consent(http: httpx.AsyncClient, url: str) -> dict[str, str]:
    """Click Allow on an emulator's consent page; return the redirect's query."""
    page = await http.get(url)
    allow = re.search(r'id="allow" href="([^"]+)"', page.text)[1]
    redirect = await http.get(html.unescape(allow))
    return {k: v[0] for k, v in parse_qs(urlparse(redirect.headers["location"]).query).items()}
