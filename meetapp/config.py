"""Settings read from the environment, with safe embedded defaults.

Every variable is documented in README.md. Nothing here imports reflex so that
services, migrations and scripts can share one source of configuration.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
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
        api_url: Public URL of the backend (API routes such as the .ics download).
        smtp_host: Outgoing mail server; None disables meeting emails.
        smtp_port: Its port (587 with STARTTLS, 25 without).
        smtp_username: SMTP login, or None for no authentication.
        smtp_password: SMTP password (kept out of repr).
        smtp_starttls: Upgrade the SMTP connection with STARTTLS.
        mail_from: The From / envelope sender address of meeting emails.
        encryption_key: Fernet key for stored calendar credentials; when None one is
            generated into ``<data_dir>/fernet.key`` on first use.
        google_client_id: OAuth client of Google Calendar; empty means "not configured".
        google_client_secret: Its secret.
        google_auth_base_url: Google's authorize host (an emulator's URL in tests).
        google_token_base_url: Google's token and revoke host.
        google_api_base_url: Calendar v3's base URL.
        microsoft_client_id: OAuth client of Microsoft 365; empty means "not configured".
        microsoft_client_secret: Its secret.
        microsoft_login_base_url: Microsoft identity platform's host.
        microsoft_tenant: The tenant in identity URLs ("common" takes any account).
        microsoft_graph_base_url: Graph's base URL.
        calendar_cache_minutes: How long synced busy times count as fresh.
        calendar_timeout_seconds: The longest the picker waits on a provider.
    """

    data_dir: Path
    database_url: str
    redis_url: str | None
    public_base_url: str
    secret_key: str
    session_days: int
    api_url: str = "http://localhost:8000"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = True
    mail_from: str = "meetapp@localhost"
    encryption_key: str | None = field(default=None, repr=False)
    google_client_id: str = ""
    google_client_secret: str = field(default="", repr=False)
    google_auth_base_url: str = "https://accounts.google.com"
    google_token_base_url: str = "https://oauth2.googleapis.com"
    google_api_base_url: str = "https://www.googleapis.com/calendar/v3"
    microsoft_client_id: str = ""
    microsoft_client_secret: str = field(default="", repr=False)
    microsoft_login_base_url: str = "https://login.microsoftonline.com"
    microsoft_tenant: str = "common"
    microsoft_graph_base_url: str = "https://graph.microsoft.com/v1.0"
    calendar_cache_minutes: int = 5
    calendar_timeout_seconds: float = 3.0


def _read_or_create_secret(
    path: Path, generate: Callable[[], str] = lambda: secrets.token_urlsafe(48)
) -> str:
    """Return the secret stored at `path`, generating it on first run.

    Generated rather than committed so that no two installs share a key.
    """
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = generate()
    # O_EXCL: two workers starting together must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def _public_url() -> str:
    return (_env("MEETAPP_PUBLIC_URL", "http://localhost:3000") or "").rstrip("/")


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
        public_base_url=_public_url(),
        secret_key=_env("MEETAPP_SECRET_KEY") or _read_or_create_secret(data_dir / "secret.key"),
        session_days=int(_env("MEETAPP_SESSION_DAYS", "30") or 30),
        encryption_key=_env("MEETAPP_ENCRYPTION_KEY"),
        **_mail_settings(),
        **_calendar_settings(),
    )


def _mail_settings() -> dict[str, object]:
    """The backend's public URL and outgoing mail; no SMTP host = no meeting emails."""
    return {
        # The production server answers pages and API routes on one port.
        "api_url": (_env("MEETAPP_API_URL") or _public_url()).rstrip("/"),
        "smtp_host": _env("MEETAPP_SMTP_HOST"),
        "smtp_port": int(_env("MEETAPP_SMTP_PORT", "587") or 587),
        "smtp_username": _env("MEETAPP_SMTP_USERNAME"),
        "smtp_password": _env("MEETAPP_SMTP_PASSWORD"),
        "smtp_starttls": (_env("MEETAPP_SMTP_STARTTLS", "true") or "").lower()
        in ("1", "true", "yes", "on"),
        "mail_from": _env("MEETAPP_MAIL_FROM", "meetapp@localhost"),
    }


def _calendar_settings() -> dict[str, object]:
    """Provider clients and endpoints; the defaults are the real providers' URLs."""
    defaults = Settings.__dataclass_fields__
    urls = {
        name: (_env(f"MEETAPP_{name.upper()}") or defaults[name].default).rstrip("/")
        for name in (
            "google_auth_base_url",
            "google_token_base_url",
            "google_api_base_url",
            "microsoft_login_base_url",
            "microsoft_graph_base_url",
        )
    }
    secrets_ = {
        name: _env(f"MEETAPP_{name.upper()}", "")
        for name in (
            "google_client_id",
            "google_client_secret",
            "microsoft_client_id",
            "microsoft_client_secret",
        )
    }
    return {
        **urls,
        **secrets_,
        "microsoft_tenant": _env("MEETAPP_MICROSOFT_TENANT", "common"),
        "calendar_cache_minutes": int(_env("MEETAPP_CALENDAR_CACHE_MINUTES", "5") or 5),
        "calendar_timeout_seconds": float(_env("MEETAPP_CALENDAR_TIMEOUT_SECONDS", "3") or 3),
    }
