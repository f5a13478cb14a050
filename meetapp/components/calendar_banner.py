"""The banner shown across the rooms pages while a linked calendar is not working."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.state.rooms import RoomsState


def _banner(message: rx.Var | str, link_text: str, color: str) -> rx.Component:
    return rx.box(
        rx.callout(
            rx.text(message, " ", rx.link(link_text, href=routes.CALENDARS)),
            icon="triangle-alert",
            color_scheme=color,
            size="1",
            role="alert",
        ),
        padding_x="1rem",
        padding_top="0.75rem",
    )


def calendar_banner() -> rx.Component:
    """A banner while a calendar account needs relinking (red) or could not be read (amber).

    Relinking comes first: until it is done, the account is not read at all.
    """
    unreadable = (
        "Could not read your "
        + RoomsState.calendar_unreadable
        + " just now; busy times are from the last good sync."
    )
    return rx.box(
        rx.cond(
            RoomsState.calendar_needs_relink,
            _banner(
                "A calendar account needs relinking, so its busy times may be out of date.",
                "Relink it in Manage calendars",
                "red",
            ),
            rx.cond(
                RoomsState.calendar_unreadable != "",
                _banner(unreadable, "See Manage calendars", "amber"),
            ),
        ),
        width="100%",
    )
