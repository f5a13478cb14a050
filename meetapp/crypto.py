"""Encryption at rest for calendar credentials (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from ``MEETAPP_ENCRYPTION_KEY`` or is generated on first run into
``<data_dir>/fernet.key``; losing that file means every linked account must relink.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from meetapp.config import _read_or_create_secret, get_settings

KEY_FILE = "fernet.key"


class UnreadableSecret(Exception):
    """A stored secret cannot be decrypted (the key changed or the data is damaged)."""


@lru_cache(maxsize=4)
def _fernet(configured_key: str | None, data_dir: Path) -> Fernet:
    key = configured_key or _read_or_create_secret(
        data_dir / KEY_FILE, lambda: Fernet.generate_key().decode()
    )
    return Fernet(key.encode())


def _current() -> Fernet:
    settings = get_settings()
    return _fernet(settings.encryption_key, settings.data_dir)


def encrypt_json(value: Any) -> str:
    """Encrypt a JSON-serializable value.

    Args:
        value: What to protect (e.g. a token set as a dict).

    Returns:
        An opaque, URL-safe text token to store in the database.
    """
    return _current().encrypt(json.dumps(value).encode()).decode()


def decrypt_json(token: str) -> Any:
    """Decrypt what ``encrypt_json`` produced.

    Args:
        token: The stored text.

    Returns:
        The original value.

    Raises:
        UnreadableSecret: The key differs from the one that encrypted it.
    """
    try:
        return json.loads(_current().decrypt(token.encode()))
    except InvalidToken as exc:
        raise UnreadableSecret("stored credentials cannot be decrypted") from exc
