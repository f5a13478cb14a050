"""Run the real app (production build) on a free port against a fresh database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from meetapp.config import PROJECT_ROOT
from tests.e2e.appserver import running_app

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """Base URL of a freshly built app with its own empty, migrated database."""
    with running_app(tmp_path_factory.mktemp("app-data")) as app:
        yield app.url


@pytest.fixture
def screenshot():
    """Save a named screenshot of a page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
