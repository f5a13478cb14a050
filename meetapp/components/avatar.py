"""Initials avatars."""

from __future__ import annotations

import reflex as rx


def initials_avatar(initials, size: str = "3", **props) -> rx.Component:
    """A round avatar showing initials."""
    return rx.avatar(fallback=initials, size=size, radius="full", variant="soft", **props)
