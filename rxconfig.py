"""Reflex configuration; values come from meetapp.config (environment variables)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from meetapp.config import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="meetapp",
    db_url=_settings.database_url,
    redis_url=_settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large")
        )
    ],
)
