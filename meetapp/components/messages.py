"""How each kind of message looks in a room."""

from __future__ import annotations

import reflex as rx

from meetapp.components.avatar import initials_avatar
from meetapp.components.cards import invite_card, meeting_card, proposal_card
from meetapp.models import MessageKind
from meetapp.state.rooms import MessageItem


def _text_bubble(message: MessageItem) -> rx.Component:
    bubble = rx.box(
        rx.text(message.body, size="2", white_space="pre-wrap", word_break="break-word"),
        padding_x="0.85rem",
        padding_y="0.55rem",
        border_radius="14px",
        max_width="min(560px, 80%)",
        background=rx.cond(message.mine, rx.color("accent", 9), rx.color("gray", 3)),
        color=rx.cond(message.mine, "white", rx.color("gray", 12)),
    )
    time = rx.text(message.time, size="1", color_scheme="gray")
    return rx.cond(
        message.mine,
        rx.hstack(
            rx.vstack(bubble, time, align="end", spacing="1", width="100%"),
            justify="end",
            width="100%",
            class_name="message message-mine",
        ),
        rx.hstack(
            initials_avatar(message.initials, size="2"),
            rx.vstack(
                rx.hstack(
                    rx.text(message.author, size="1", weight="medium"),
                    time,
                    spacing="2",
                    align="baseline",
                ),
                bubble,
                spacing="1",
                align="start",
                width="100%",
            ),
            align="start",
            width="100%",
            class_name="message",
        ),
    )


def _system_line(message: MessageItem) -> rx.Component:
    return rx.center(
        rx.text(
            message.body,
            " · ",
            message.time,
            size="1",
            color_scheme="gray",
            text_align="center",
        ),
        width="100%",
        padding_y="0.25rem",
        role="note",
        class_name="message message-system",
    )


def _card(message: MessageItem) -> rx.Component:
    return rx.card(rx.text(message.body, size="2"), width="100%", class_name="message message-card")


def message_row(message: MessageItem) -> rx.Component:
    """One message, drawn according to its kind."""
    return rx.match(
        message.kind,
        (MessageKind.TEXT.value, _text_bubble(message)),
        (MessageKind.SYSTEM.value, _system_line(message)),
        (
            MessageKind.INVITE.value,
            rx.cond(
                message.card.meeting_id > 0,
                meeting_card(message.card),
                invite_card(message.ref_id, message.card),
            ),
        ),
        (MessageKind.MEETING.value, meeting_card(message.card)),
        (MessageKind.PROPOSAL.value, proposal_card(message.card)),
        _card(message),
    )
