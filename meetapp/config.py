"""Settings read from the environment, with safe embedded defaults.

Every variable is documented in README.md. Nothing here imports reflex so that
services, migrations and scripts can share one source of configuration.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of one meetapp process.

    Attributes:
        data_dir: Folder for the embedded SQLite database and generated keys.
        database_url: SQLAlchemy URL of the database.
        redis_url: Redis URL; enables the Redis state manager and cross-worker pub/sub.
        public_base_url: Public URL people reach the app at (used in links and emails).
        secret_key: Server secret used to derive keyed hashes.
        session_days: How long a sign-in lasts.
    """

    data_dir: Path
    database_url: str
    redis_url: str | None
    public_base_url: str
    secret_key: str
    session_days: int


def _read_or_create_secret(path: Path) -> str:
    """Return the secret stored at `path`, generating it on first run.

    Generated rather than committed so that no two installs share a key.
    """
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting together must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process.

    Returns:
        The process-wide settings.
    """
    data_dir = Path(_env("MEETAPP_DATA_DIR", str(PROJECT_ROOT / "data"))).resolve()
    database_url = _env("MEETAPP_DATABASE_URL") or _env("REFLEX_DB_URL")
    if database_url is None:
        database_url = f"sqlite:///{data_dir / 'meetapp.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=_env("MEETAPP_REDIS_URL") or _env("REFLEX_REDIS_URL"),
        public_base_url=(_env("MEETAPP_PUBLIC_URL", "http://localhost:3000") or "").rstrip("/"),
        secret_key=_env("MEETAPP_SECRET_KEY") or _read_or_create_secret(data_dir / "secret.key"),
        session_days=int(_env("MEETAPP_SESSION_DAYS", "30") or 30),
    )
