"""Form building blocks with real <label> elements (tests find inputs by label)."""

from __future__ import annotations

import reflex as rx


def field_label(text: str, html_for: str) -> rx.Component:
    """A visible label bound to the input with id `html_for`."""
    return rx.el.label(
        text,
        html_for=html_for,
        style={"font-size": "var(--font-size-2)", "font-weight": "500"},
    )


def error_callout(message) -> rx.Component:
    """A red callout shown only while `message` is not empty."""
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="circle-alert", color_scheme="red", size="1", width="100%", role="alert"
        ),
    )
