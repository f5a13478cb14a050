"""The banner shown across the rooms pages while a calendar account needs relinking."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.state.rooms import RoomsState


def needs_relink_banner() -> rx.Component:
    """A red banner while any of the user's calendar accounts needs relinking."""
    return rx.box(
        rx.cond(
            RoomsState.calendar_needs_relink,
            rx.box(
                rx.callout(
                    rx.text(
                        "A calendar account needs relinking, so its busy times may be out of "
                        "date. ",
                        rx.link("Relink it in Manage calendars", href=routes.CALENDARS),
                    ),
                    icon="triangle-alert",
                    color_scheme="red",
                    size="1",
                    role="alert",
                ),
                padding_x="1rem",
                padding_top="0.75rem",
            ),
        ),
        width="100%",
    )
