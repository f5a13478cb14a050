"""The two-pane schedule dialog: month grid left, times of the selected date right."""

from __future__ import annotations

import reflex as rx

from meetapp.components.buttons import quiet_icon_button
from meetapp.components.forms import error_callout
from meetapp.components.time_select import date_input, time_select, timezone_combobox
from meetapp.state.picker import DayCell, GuestOption, PickerState, TimeItem
from meetapp.state.proposals import ProposalState, SuggestionRow

WEEKDAY_INITIALS = ("M", "T", "W", "T", "F", "S", "S")


def _cell(cell: DayCell) -> rx.Component:
    return rx.el.button(
        cell.day,
        on_click=PickerState.select_date(cell.iso),
        disabled=~cell.available,
        aria_label=cell.label,
        aria_pressed=rx.cond(cell.selected, "true", "false"),
        style={
            "width": "2.5rem",
            "height": "2.5rem",
            "border_radius": "999px",
            "border": rx.cond(cell.today, "1px solid var(--accent-9)", "1px solid transparent"),
            "background": rx.cond(
                cell.selected,
                "var(--accent-9)",
                rx.cond(cell.available, "var(--accent-3)", "transparent"),
            ),
            "color": rx.cond(
                cell.selected,
                "white",
                rx.cond(cell.available, "var(--accent-11)", "var(--gray-8)"),
            ),
            "font_weight": rx.cond(cell.available, "700", "400"),
            "cursor": rx.cond(cell.available, "pointer", "default"),
            "visibility": rx.cond(cell.in_month, "visible", "hidden"),
        },
    )


def _month() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon_button(
                rx.icon("chevron-left", size=16),
                variant="ghost",
                aria_label="Previous month",
                on_click=PickerState.show_month(-1),
            ),
            rx.text(PickerState.month_title, weight="bold", size="3"),
            rx.icon_button(
                rx.icon("chevron-right", size=16),
                variant="ghost",
                aria_label="Next month",
                on_click=PickerState.show_month(1),
            ),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.grid(
            *[rx.center(rx.text(d, size="1", color_scheme="gray")) for d in WEEKDAY_INITIALS],
            rx.foreach(PickerState.cells, _cell),
            columns="7",
            spacing="1",
            role="grid",
            aria_label="Available dates",
        ),
        spacing="3",
        flex_shrink="0",
    )


def _time(item: TimeItem) -> rx.Component:
    chosen = PickerState.chosen == item.start
    return rx.hstack(
        rx.button(
            item.label,
            variant=rx.cond(chosen, "solid", "outline"),
            color_scheme=rx.cond(chosen, "gray", "indigo"),
            size="3",
            flex="1",
            on_click=PickerState.choose(item.start),
        ),
        rx.cond(chosen, rx.button("Confirm", size="3", flex="1", on_click=PickerState.confirm)),
        width="100%",
        spacing="2",
    )


def _times() -> rx.Component:
    return rx.vstack(
        rx.heading(PickerState.selected_heading, size="3"),
        rx.cond(
            PickerState.times.length() > 0,
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(PickerState.times, _time),
                    spacing="2",
                    width="100%",
                    padding_right="0.5rem",
                ),
                max_height="320px",
                type="auto",
                scrollbars="vertical",
            ),
            rx.text("No times left on this day", color_scheme="gray", size="2"),
        ),
        spacing="3",
        flex="1",
        min_width="220px",
        width="100%",
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.dialog.title(
            rx.cond(PickerState.meeting_id > 0, "Reschedule the meeting", "Schedule a meeting"),
            margin="0",
        ),
        rx.hstack(
            rx.text(PickerState.host_name, weight="medium", size="2"),
            rx.badge(PickerState.duration, variant="soft"),
            align="center",
        ),
        rx.hstack(
            rx.text(
                "Times shown in ",
                PickerState.zone,
                " (",
                PickerState.zone_short,
                ")",
                size="2",
                color_scheme="gray",
            ),
            rx.popover.root(
                rx.popover.trigger(rx.link("Change", size="2", href="#", role="button")),
                rx.popover.content(
                    timezone_combobox(
                        PickerState.zone, PickerState.change_zone, list_id="picker-zones"
                    ),
                    width="300px",
                ),
            ),
            align="center",
            spacing="2",
        ),
        spacing="1",
    )


def _suggestion_row(row: SuggestionRow, index) -> rx.Component:
    number = index + 1
    return rx.hstack(
        date_input(
            f"Suggested date {number}",
            value=row.day,
            min=ProposalState.min_day,
            on_change=lambda value: ProposalState.set_day(index, value),
        ),
        time_select(
            row.time, f"Suggested time {number}", lambda value: ProposalState.set_time(index, value)
        ),
        rx.cond(
            ProposalState.rows.length() > 1,
            quiet_icon_button(
                "x", f"Remove suggestion {number}", on_click=ProposalState.remove_row(index)
            ),
        ),
        align="center",
        spacing="2",
    )


def _suggest_form() -> rx.Component:
    return rx.vstack(
        rx.heading("Suggest another time", size="3"),
        rx.text(
            "Suggest up to three times that suit you, in ",
            PickerState.zone,
            ". ",
            PickerState.host_name,
            " sees them in their own time zone and can accept one.",
            size="2",
            color_scheme="gray",
        ),
        error_callout(ProposalState.error),
        rx.foreach(ProposalState.rows, _suggestion_row),
        rx.cond(
            ProposalState.can_add,
            rx.button(
                rx.icon("plus", size=14),
                "Add another time",
                variant="ghost",
                size="2",
                on_click=ProposalState.add_row,
            ),
        ),
        rx.hstack(
            rx.button(
                "Back to available times",
                variant="soft",
                color_scheme="gray",
                on_click=ProposalState.back,
            ),
            rx.button("Send suggestions", on_click=ProposalState.send),
            justify="end",
            width="100%",
            spacing="3",
        ),
        spacing="3",
        width="100%",
        align="start",
    )


def _suggest_link() -> rx.Component:
    return rx.cond(
        PickerState.meeting_id == 0,
        rx.hstack(
            rx.text("None of these work?", size="2", color_scheme="gray"),
            rx.button(
                "Suggest another time",
                variant="ghost",
                size="2",
                on_click=ProposalState.start,
            ),
            align="center",
            spacing="3",
            padding_top="0.5rem",
            border_top=f"1px solid {rx.color('gray', 5)}",
            width="100%",
        ),
    )


def _guest_choice(guest: GuestOption) -> rx.Component:
    return rx.checkbox(
        guest.name,
        checked=guest.checked,
        on_change=lambda checked: PickerState.toggle_guest(guest.id, checked),
        size="2",
    )


def _guest_picker() -> rx.Component:
    """Other members of a group room the booker can bring along."""
    return rx.cond(
        (PickerState.meeting_id == 0) & (PickerState.guests.length() > 0),
        rx.hstack(
            rx.text("Also invite", size="2", weight="medium"),
            rx.foreach(PickerState.guests, _guest_choice),
            spacing="4",
            align="center",
            wrap="wrap",
            width="100%",
        ),
    )


def _booking_panes() -> rx.Component:
    return rx.vstack(
        _guest_picker(),
        rx.flex(
            _month(),
            rx.cond(PickerState.cells.length() > 0, _times()),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="6",
            width="100%",
        ),
        _suggest_link(),
        spacing="4",
        width="100%",
    )


def schedule_dialog() -> rx.Component:
    """The dialog an invitee books in (also used to reschedule)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.vstack(
                _header(),
                error_callout(PickerState.error),
                rx.cond(
                    PickerState.success != "",
                    rx.callout(
                        rx.text("Booked: ", PickerState.success),
                        icon="circle-check",
                        color_scheme="green",
                        role="status",
                        width="100%",
                    ),
                    rx.cond(ProposalState.suggesting, _suggest_form(), _booking_panes()),
                ),
                spacing="4",
                width="100%",
            ),
            max_width="860px",
            width="100%",
        ),
        open=PickerState.open,
        on_open_change=PickerState.close,
    )
