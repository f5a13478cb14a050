"""The app settings that point meetapp's Google and Microsoft clients at the emulators."""

from __future__ import annotations

CLIENT_ID = "emulator-client"
CLIENT_SECRET = "emulator-secret"


def provider_settings(google_url: str, microsoft_url: str) -> dict[str, str]:
    """``MEETAPP_*`` environment variables for emulators served at these base URLs.

    Args:
        google_url: Base URL of a running ``GoogleEmulator`` (no trailing slash).
        microsoft_url: Base URL of a running ``MicrosoftEmulator``.

    Returns:
        Variable name to value, ready for ``os.environ`` or a server's environment.
    """
    return {
        "MEETAPP_GOOGLE_CLIENT_ID": CLIENT_ID,
        "MEETAPP_GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "MEETAPP_GOOGLE_AUTH_BASE_URL": google_url,
        "MEETAPP_GOOGLE_TOKEN_BASE_URL": google_url,
        "MEETAPP_GOOGLE_API_BASE_URL": f"{google_url}/calendar/v3",
        "MEETAPP_MICROSOFT_CLIENT_ID": CLIENT_ID,
        "MEETAPP_MICROSOFT_CLIENT_SECRET": CLIENT_SECRET,
        "MEETAPP_MICROSOFT_LOGIN_BASE_URL": microsoft_url,
        "MEETAPP_MICROSOFT_GRAPH_BASE_URL": f"{microsoft_url}/v1.0",
    }
