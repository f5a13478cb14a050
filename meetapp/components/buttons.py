"""Small shared buttons."""

from __future__ import annotations

import reflex as rx


def quiet_icon_button(icon: str, label, *, icon_size: int = 18, **props) -> rx.Component:
    """A grey, borderless icon button; `label` is its accessible name."""
    return rx.icon_button(
        rx.icon(icon, size=icon_size),
        variant="ghost",
        color_scheme="gray",
        aria_label=label,
        **props,
    )
