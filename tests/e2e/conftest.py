"""Run the real app (production build) on a free port against a fresh database.

Before the app, the session starts what it links calendars to: the Google and Microsoft
emulators (in this process, so tests can seed and read them) and a real Radicale server.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from meetapp.config import PROJECT_ROOT
from tests.e2e.appserver import running_app
from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator
from tests.emulators.radicale import CalDavAccount, radicale  # noqa: F401  (a fixture)
from tests.emulators.server import serving
from tests.emulators.settings import provider_settings

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CALENDAR_SETTINGS = {
    # No cache lifetime: every picker opening asks the providers for changes (incrementally,
    # within the provider timeout), so events a test adds after linking are seen at once
    # instead of after the production default of five minutes.
    "MEETAPP_CALENDAR_CACHE_MINUTES": "0",
    # Chromium, the app and Radicale share two cores here; the default 3 s can be too short.
    "MEETAPP_CALENDAR_TIMEOUT_SECONDS": "10",
}


@dataclass(frozen=True)
class Emulators:
    """The provider emulators the app is configured with (empty until a test seeds them)."""

    google: GoogleEmulator
    microsoft: MicrosoftEmulator
    settings: dict[str, str]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def emulators() -> Iterator[Emulators]:
    """Google and Microsoft emulators served on free loopback ports for the whole session."""
    google, microsoft = GoogleEmulator(page_size=50), MicrosoftEmulator(page_size=50)
    with serving(google.app) as google_url, serving(microsoft.app) as microsoft_url:
        yield Emulators(google, microsoft, provider_settings(google_url, microsoft_url))


@pytest.fixture(scope="session")
def caldav_account(radicale: str) -> CalDavAccount:  # noqa: F811  (the fixture)
    """An account on the session's Radicale server, to link and to seed events in."""
    return CalDavAccount(radicale)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, emulators: Emulators, caldav_account: CalDavAccount) -> Iterator[str]:
    """Base URL of a freshly built app with its own empty, migrated database.

    Google and Microsoft are configured (pointing at the emulators); Radicale is up.
    """
    env = {**emulators.settings, **CALENDAR_SETTINGS}
    with running_app(tmp_path_factory.mktemp("app-data"), extra_env=env) as app:
        yield app.url


@pytest.fixture
def screenshot():
    """Save a named screenshot of a page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        # Finished animations: a dialog is shown as it ends up, not halfway faded in.
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")

    return take
