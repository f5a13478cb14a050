"""The open room: header with members and actions, history, composer."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.avatar import initials_avatar
from meetapp.components.buttons import quiet_icon_button
from meetapp.components.cards import reason_dialog
from meetapp.components.forms import error_callout, field_label
from meetapp.components.messages import message_row
from meetapp.components.picker import schedule_dialog
from meetapp.components.styles import ONE_LINE
from meetapp.components.wizard import share_wizard
from meetapp.state.rooms import MemberItem, RoomsState
from meetapp.state.wizard import WizardState


def _member_avatar(member: MemberItem) -> rx.Component:
    return rx.tooltip(
        initials_avatar(member.initials, size="2", aria_label=member.name), content=member.name
    )


def _add_member_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(quiet_icon_button("user-plus", "Add people")),
        rx.dialog.content(
            rx.dialog.title("Add people"),
            rx.form(
                rx.vstack(
                    field_label("Email", "member-email"),
                    rx.input(
                        id="member-email",
                        name="email",
                        placeholder="name@example.com",
                        required=True,
                        width="100%",
                    ),
                    error_callout(RoomsState.add_member_error),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Add", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=RoomsState.add_member,
            ),
            max_width="420px",
        ),
        open=RoomsState.add_member_open,
        on_open_change=RoomsState.toggle_add_member,
    )


def _schedule_button() -> rx.Component:
    return rx.tooltip(
        rx.icon_button(
            rx.icon("calendar-plus", size=18),
            variant="soft",
            aria_label="Schedule a meeting",
            on_click=WizardState.open_for_room(RoomsState.room_id),
        ),
        content="Schedule a meeting",
    )


def _header() -> rx.Component:
    return rx.hstack(
        rx.link(
            quiet_icon_button("arrow-left", "Back to rooms"),
            href=routes.ROOMS,
            display=rx.breakpoints(initial="block", md="none"),
        ),
        rx.vstack(
            rx.heading(RoomsState.room_title, size="4", width="100%", **ONE_LINE),
            rx.hstack(rx.foreach(RoomsState.members, _member_avatar), spacing="1"),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        _schedule_button(),
        share_wizard(),
        schedule_dialog(),
        reason_dialog(),
        _add_member_dialog(),
        rx.menu.root(
            rx.menu.trigger(quiet_icon_button("ellipsis-vertical", "Room options")),
            rx.menu.content(
                rx.menu.item(
                    rx.icon("log-out", size=14),
                    "Leave room",
                    color="red",
                    on_click=RoomsState.leave_room,
                ),
            ),
        ),
        width="100%",
        align="center",
        padding="0.75rem 1rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        spacing="3",
    )


def _composer() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="draft",
                placeholder="Write a message",
                aria_label="Write a message",
                auto_complete="off",
                size="3",
                flex="1",
                max_length=4000,
            ),
            rx.icon_button(
                rx.icon("send-horizontal", size=18), type="submit", size="3", aria_label="Send"
            ),
            width="100%",
            spacing="2",
        ),
        rx.cond(
            RoomsState.composer_error != "",
            rx.text(RoomsState.composer_error, color_scheme="red", size="1"),
        ),
        on_submit=RoomsState.send_message,
        reset_on_submit=True,
        width="100%",
        padding="0.75rem 1rem 1rem",
    )


def room_view() -> rx.Component:
    """The open room, or a plain "not found" for a room the viewer cannot see."""
    return rx.cond(
        RoomsState.room_missing,
        rx.center(
            rx.vstack(
                rx.heading("Not found", size="6"),
                rx.text("This room does not exist or you are not a member.", color_scheme="gray"),
                rx.link("Back to your rooms", href=routes.ROOMS),
                align="center",
            ),
            height="100%",
            width="100%",
        ),
        rx.vstack(
            _header(),
            rx.auto_scroll(
                rx.vstack(
                    rx.foreach(RoomsState.messages, message_row),
                    spacing="3",
                    padding="1rem",
                    width="100%",
                    max_width="860px",
                    margin_x="auto",
                ),
                flex="1",
                width="100%",
                role="log",
                aria_label="Messages",
            ),
            _composer(),
            spacing="0",
            height="100%",
            width="100%",
        ),
    )
