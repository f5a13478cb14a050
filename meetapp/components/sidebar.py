"""The list of my rooms, with the app header and "New conversation"."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.avatar import initials_avatar
from meetapp.components.forms import error_callout, field_label
from meetapp.components.styles import ONE_LINE
from meetapp.state.rooms import RoomItem, RoomsState
from meetapp.state.session import SessionState


def _room_link(room: RoomItem) -> rx.Component:
    active = RoomsState.room_id == room.id
    return rx.link(
        rx.hstack(
            initials_avatar(room.initials),
            rx.vstack(
                rx.hstack(
                    rx.text(
                        room.title,
                        weight="medium",
                        size="2",
                        color=rx.color("gray", 12),
                        flex="1",
                        **ONE_LINE,
                    ),
                    rx.text(room.time, size="1", color_scheme="gray", flex_shrink="0"),
                    width="100%",
                    align="center",
                ),
                rx.hstack(
                    rx.text(room.preview, size="1", color_scheme="gray", flex="1", **ONE_LINE),
                    rx.cond(
                        room.unread > 0,
                        rx.badge(room.unread, radius="full", variant="solid", size="1"),
                    ),
                    width="100%",
                    align="center",
                ),
                spacing="1",
                width="100%",
                min_width="0",
            ),
            width="100%",
            padding="0.65rem 0.75rem",
            border_radius="10px",
            background=rx.cond(active, rx.color("accent", 3), "transparent"),
            _hover={"background": rx.color("gray", 3)},
            align="center",
        ),
        href=room.href,
        underline="none",
        color="inherit",
        width="100%",
        aria_label=room.title,
    )


def new_room_dialog() -> rx.Component:
    """Dialog that starts a conversation with people by email."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("square-pen", size=16), "New conversation", size="2", width="100%")
        ),
        rx.dialog.content(
            rx.dialog.title("New conversation"),
            rx.dialog.description(
                "Add people by the email of their account. A conversation with one person "
                "and no name reopens your existing chat with them.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    field_label("Emails", "emails"),
                    rx.input(
                        id="emails",
                        name="emails",
                        placeholder="ben@example.com, priya@example.com",
                        required=True,
                        width="100%",
                    ),
                    field_label("Name (optional)", "room-name"),
                    rx.input(
                        id="room-name", name="name", placeholder="Website redesign", width="100%"
                    ),
                    error_callout(RoomsState.new_room_error),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Start conversation", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=RoomsState.create_room,
            ),
            max_width="460px",
        ),
        open=RoomsState.new_room_open,
        on_open_change=RoomsState.toggle_new_room,
    )


def _account_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(
                initials_avatar(SessionState.initials, size="2"),
                variant="ghost",
                radius="full",
                aria_label="Account",
            )
        ),
        rx.menu.content(
            rx.box(
                rx.text(SessionState.user_email, size="1", color_scheme="gray"),
                padding="0.25rem 0.75rem",
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.icon("calendar-cog", size=14),
                "Manage calendars",
                on_click=rx.redirect(routes.CALENDARS),
            ),
            rx.menu.item(rx.icon("log-out", size=14), "Sign out", on_click=SessionState.sign_out),
        ),
    )


def sidebar() -> rx.Component:
    """My rooms: header, "New conversation", then the rooms most recent first."""
    return rx.vstack(
        rx.hstack(
            rx.hstack(
                rx.icon("calendar-check", color=rx.color("accent", 9)),
                rx.heading("meetapp", size="5", weight="bold"),
                align="center",
                spacing="2",
            ),
            rx.spacer(),
            _account_menu(),
            width="100%",
            align="center",
            padding="1rem 1rem 0.5rem",
        ),
        rx.box(new_room_dialog(), padding_x="1rem", width="100%"),
        rx.scroll_area(
            rx.vstack(
                rx.cond(
                    RoomsState.rooms.length() > 0,
                    rx.foreach(RoomsState.rooms, _room_link),
                    rx.cond(
                        RoomsState.loaded,
                        rx.text(
                            "No conversations yet. Start one above.",
                            size="2",
                            color_scheme="gray",
                            padding="1rem",
                        ),
                    ),
                ),
                spacing="1",
                padding="0.5rem",
                width="100%",
            ),
            type="auto",
            scrollbars="vertical",
            flex="1",
        ),
        spacing="2",
        height="100%",
        width="100%",
        role="navigation",
        aria_label="Rooms",
    )
