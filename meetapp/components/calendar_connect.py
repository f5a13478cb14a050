"""Buttons that link a calendar account, shared by Manage calendars and the wizard."""

from __future__ import annotations

import reflex as rx

from meetapp import routes


def document_link(label: str, href) -> rx.Component:
    """A link the browser follows itself, leaving the app (for a provider's consent page).

    The app's client-side router would answer such a path with "Page not found".
    """
    return rx.el.a(label, href=href, reload_document=True)


def connect_oauth_button(label: str, provider: str, configured: rx.Var) -> rx.Component:
    """A button that leaves for the provider's consent page.

    Args:
        label: The button's text, e.g. "Connect Google".
        provider: "google" or "microsoft".
        configured: The state's ``oauth_configured`` map; without a client for
            ``provider`` the button is disabled, with a tooltip.
    """
    return rx.cond(
        configured[provider],
        rx.button(
            document_link(label, routes.calendar_oauth_start(provider)),
            as_child=True,
            variant="soft",
        ),
        rx.tooltip(
            rx.button(label, disabled=True, variant="soft"),
            content="Not configured on this server",
        ),
    )
