"""The rooms list (/rooms) and one room (/rooms/<id>)."""

from __future__ import annotations

import reflex as rx

from meetapp.components.calendar_banner import calendar_banner
from meetapp.components.room_view import room_view
from meetapp.components.sidebar import sidebar
from meetapp.state.rooms import RoomsState


def _layout(main: rx.Component, *, phone_shows_main: bool) -> rx.Component:
    # On a phone only one pane fits: the list on /rooms, the room on /rooms/<id>.
    phone, desktop = ("none", "flex") if phone_shows_main else ("flex", "flex")
    return rx.hstack(
        rx.box(
            sidebar(),
            width=rx.breakpoints(initial="100%", md="320px"),
            flex_shrink="0",
            height="100%",
            border_right=f"1px solid {rx.color('gray', 4)}",
            display=rx.breakpoints(initial=phone, md=desktop),
        ),
        rx.flex(
            calendar_banner(),
            rx.box(main, flex="1", min_height="0"),
            direction="column",
            flex="1",
            height="100%",
            min_width="0",
            display=rx.breakpoints(initial="flex" if phone_shows_main else "none", md="flex"),
        ),
        spacing="0",
        height="100dvh",
        width="100%",
        background=rx.color("gray", 1),
    )


def _empty_pane() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("messages-square", size=40, color=rx.color("gray", 8)),
            rx.heading("Pick a conversation", size="4"),
            rx.text(
                "Choose a room on the left, or start a new conversation.",
                color_scheme="gray",
                size="2",
            ),
            align="center",
            spacing="2",
        ),
        height="100%",
    )


def rooms_page() -> rx.Component:
    """The list of my rooms; on desktop with an empty room pane."""
    return _layout(_empty_pane(), phone_shows_main=False)


def room_page() -> rx.Component:
    """One room beside the list of rooms."""
    return _layout(room_view(), phone_shows_main=True)


ON_LOAD = RoomsState.load_page
