"""Invite, meeting and suggested-times cards shown in a room."""

from __future__ import annotations

import reflex as rx

from meetapp.state.cards import CardItem, ProposedItem
from meetapp.state.meeting_actions import MeetingActionState
from meetapp.state.picker import PickerState
from meetapp.state.proposals import ProposalState

_STATUS_COLORS = {"scheduled": "green", "rescheduled": "blue", "cancelled": "red"}


def invite_card(message_ref, card: CardItem) -> rx.Component:
    """The "Meeting invitation" card: host, duration, note and the book button."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("calendar-clock", color=rx.color("accent", 9)),
                rx.heading("Meeting invitation", size="3"),
                rx.badge(card.duration, variant="soft"),
                align="center",
            ),
            rx.text("From ", rx.text.strong(card.host), size="2"),
            rx.cond(
                card.note != "",
                rx.text(card.note, size="2", color_scheme="gray", white_space="pre-wrap"),
            ),
            rx.cond(
                card.is_host,
                rx.text("Waiting for someone to pick a time.", size="2", color_scheme="gray"),
                rx.button(
                    rx.icon("calendar-plus", size=16),
                    "Schedule a meeting",
                    on_click=[ProposalState.reset_form, PickerState.open_invite(message_ref)],
                ),
            ),
            spacing="2",
            align="start",
        ),
        width="100%",
        class_name="message message-card",
    )


def _add_to_calendar(card: CardItem) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("calendar-plus-2", size=16), "Add to calendar", variant="soft")
        ),
        rx.menu.content(
            rx.menu.item(
                rx.link("Google Calendar", href=card.google_url, is_external=True, underline="none")
            ),
            rx.menu.item(
                rx.link("Outlook", href=card.outlook_url, is_external=True, underline="none")
            ),
            rx.menu.item(rx.link("Download .ics", href=card.ics_url, underline="none")),
        ),
    )


def meeting_card(card: CardItem) -> rx.Component:
    """The booked meeting: when (in the reader's zone), status, people, actions."""
    cancelled = card.status == "cancelled"
    struck = {"text_decoration": rx.cond(cancelled, "line-through", "none")}
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(card.date, size="5", style=struck),
                rx.spacer(),
                rx.badge(
                    card.status.capitalize(),
                    color_scheme=rx.match(card.status, *_STATUS_COLORS.items(), "gray"),
                    variant="soft",
                    size="2",
                ),
                width="100%",
                align="center",
            ),
            rx.text(card.time_range, size="3", weight="medium", style=struck),
            rx.text(card.participants, size="2", color_scheme="gray"),
            rx.cond(
                card.reason != "", rx.text("Reason: ", card.reason, size="2", color_scheme="gray")
            ),
            rx.cond(
                ~cancelled,
                rx.flex(
                    rx.link(
                        rx.button(rx.icon("video", size=16), "Join meeting"),
                        href=card.join_url,
                        is_external=True,
                    ),
                    _add_to_calendar(card),
                    rx.cond(
                        card.can_change,
                        rx.fragment(
                            rx.button(
                                "Reschedule",
                                variant="outline",
                                on_click=MeetingActionState.ask("reschedule", card.meeting_id),
                            ),
                            rx.button(
                                "Cancel meeting",
                                variant="outline",
                                color_scheme="red",
                                on_click=MeetingActionState.ask("cancel", card.meeting_id),
                            ),
                        ),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="message message-card",
    )


def _proposed_time(card: CardItem, item: ProposedItem) -> rx.Component:
    answerable = card.is_host & (card.status == "open")
    return rx.hstack(
        rx.icon("clock", size=15, color=rx.color("gray", 10)),
        rx.text(item.label, size="2", weight="medium"),
        rx.cond(
            item.clashes,
            rx.badge("Clashes with your calendar", color_scheme="red", variant="soft"),
        ),
        rx.spacer(),
        rx.cond(
            answerable,
            rx.button(
                "Accept",
                size="1",
                disabled=item.clashes,
                aria_label="Accept " + item.label,
                on_click=ProposalState.accept(card.proposal_id, item.start),
            ),
        ),
        align="center",
        width="100%",
        spacing="2",
        padding_y="0.2rem",
    )


def proposal_card(card: CardItem) -> rx.Component:
    """Times an invitee suggested: the host accepts one or declines them all."""
    label = rx.match(
        card.status, ("open", "Waiting for answer"), ("accepted", "Accepted"), "Declined"
    )
    color = rx.match(card.status, ("open", "amber"), ("accepted", "green"), "red")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("calendar-search", color=rx.color("accent", 9)),
                rx.heading("Suggested times", size="3"),
                rx.badge(card.duration, variant="soft"),
                rx.spacer(),
                rx.badge(label, color_scheme=color, variant="soft", size="2"),
                align="center",
                width="100%",
            ),
            rx.text(
                rx.text.strong(card.proposer),
                " could not make the offered times and suggests, for ",
                rx.text.strong(card.host),
                "'s invitation:",
                size="2",
            ),
            rx.vstack(rx.foreach(card.proposed, lambda t: _proposed_time(card, t)), width="100%"),
            rx.cond(
                card.reason != "", rx.text("Reason: ", card.reason, size="2", color_scheme="gray")
            ),
            rx.cond(
                card.status == "open",
                rx.cond(
                    card.is_host,
                    rx.button(
                        "Decline",
                        variant="outline",
                        color_scheme="red",
                        on_click=MeetingActionState.ask("decline", card.proposal_id),
                    ),
                    rx.text(
                        "Waiting for ", card.host, " to answer.", size="2", color_scheme="gray"
                    ),
                ),
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="message message-card",
    )


def _by_action(cancel: str, decline: str, reschedule: str) -> rx.Var:
    return rx.match(MeetingActionState.action, ("cancel", cancel), ("decline", decline), reschedule)


def reason_dialog() -> rx.Component:
    """The "Reason (optional)" dialog shown before cancelling, rescheduling or declining."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(_by_action("Cancel meeting", "Decline suggested times", "Reschedule")),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        "Reason (optional)",
                        html_for="reason",
                        style={"font_size": "var(--font-size-2)"},
                    ),
                    rx.text_area(id="reason", name="reason", max_length=500, width="100%"),
                    rx.cond(
                        MeetingActionState.error != "",
                        rx.text(MeetingActionState.error, color_scheme="red", size="2"),
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(
                                _by_action("Keep meeting", "Back", "Keep meeting"),
                                variant="soft",
                                color_scheme="gray",
                                type="button",
                            )
                        ),
                        rx.button(
                            _by_action("Cancel meeting", "Decline", "Choose a new time"),
                            color_scheme=_by_action("red", "red", "indigo"),
                            type="submit",
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=MeetingActionState.submit,
            ),
            max_width="440px",
        ),
        open=MeetingActionState.open,
        on_open_change=MeetingActionState.close,
    )
