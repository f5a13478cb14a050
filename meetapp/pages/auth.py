"""Sign-in and sign-up pages."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.forms import error_callout, field_label
from meetapp.state.session import SessionState


def _field(label: str, name: str, kind: str = "text", **props) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(id=name, name=name, type=kind, size="3", width="100%", required=True, **props),
        spacing="1",
        width="100%",
    )


def _card(title: str, subtitle: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("calendar-check", color=rx.color("accent", 9)),
                    rx.text("meetapp", weight="bold", size="4"),
                    align="center",
                    spacing="2",
                ),
                rx.heading(title, size="6"),
                rx.text(subtitle, color_scheme="gray", size="2"),
                form,
                footer,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="420px",
        ),
        min_height="100dvh",
        padding="1rem",
        background=rx.color("gray", 2),
    )


def sign_in_page() -> rx.Component:
    """Email and password sign-in."""
    form = rx.form(
        rx.vstack(
            _field("Email", "email", "email", auto_complete="username"),
            _field("Password", "password", "password", auto_complete="current-password"),
            error_callout(SessionState.form_error),
            rx.button("Sign in", type="submit", size="3", width="100%"),
            spacing="3",
        ),
        on_submit=SessionState.sign_in,
    )
    footer = rx.text("New here? ", rx.link("Create an account", href=routes.SIGN_UP), size="2")
    return _card("Sign in", "Meet the people you talk to, in their time zone.", form, footer)


def sign_up_page() -> rx.Component:
    """Account creation."""
    form = rx.form(
        rx.vstack(
            _field("Name", "name", auto_complete="name", max_length=80),
            _field("Email", "email", "email", auto_complete="username"),
            _field("Password", "password", "password", auto_complete="new-password", min_length=8),
            rx.text("At least 8 characters.", size="1", color_scheme="gray"),
            error_callout(SessionState.form_error),
            rx.button("Create account", type="submit", size="3", width="100%"),
            spacing="3",
        ),
        on_submit=SessionState.sign_up,
    )
    footer = rx.text("Already have an account? ", rx.link("Sign in", href=routes.SIGN_IN), size="2")
    return _card("Create your account", "Free for you and the people you meet.", form, footer)
