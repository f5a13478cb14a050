"""The "Manage calendars" page (/calendars) and the relink banner for other pages."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.forms import error_callout, field_label
from meetapp.state.calendars import CalendarItem, CalendarsState, ConnectionItem, oauth_start_href


def _calendar_row(calendar: CalendarItem) -> rx.Component:
    return rx.hstack(
        rx.text(calendar.name, weight="medium", flex="1"),
        rx.hstack(
            rx.checkbox(
                id=calendar.conflicts_id,
                checked=calendar.check_conflicts,
                on_change=lambda checked: CalendarsState.set_check_conflicts(calendar.id, checked),
            ),
            field_label("Check for conflicts", calendar.conflicts_id),
            align="center",
            spacing="2",
        ),
        rx.hstack(
            rx.radio_group.item(
                value=calendar.radio_value, id=calendar.radio_id, disabled=~calendar.can_write
            ),
            field_label("Add new meetings here", calendar.radio_id),
            align="center",
            spacing="2",
        ),
        spacing="5",
        align="center",
        width="100%",
        wrap="wrap",
    )


def _relink_button(connection: ConnectionItem) -> rx.Component:
    return rx.cond(
        connection.is_caldav,
        rx.button("Relink", on_click=CalendarsState.relink_caldav(connection.id), size="2"),
        rx.button(rx.link("Relink", href=connection.relink_href), as_child=True, size="2"),
    )


def _connection_card(connection: ConnectionItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(connection.provider_label, weight="bold"),
                    rx.text(connection.account_email, size="2", color_scheme="gray"),
                    spacing="0",
                ),
                rx.cond(
                    connection.needs_relink,
                    rx.badge("Needs relinking", color_scheme="red"),
                    rx.badge("Connected", color_scheme="green"),
                ),
                rx.spacer(),
                rx.cond(connection.needs_relink, _relink_button(connection)),
                rx.button(
                    "Disconnect",
                    variant="soft",
                    color_scheme="red",
                    size="2",
                    on_click=CalendarsState.disconnect(connection.id),
                ),
                align="center",
                width="100%",
                spacing="3",
            ),
            rx.cond(
                connection.sync_error != "",
                rx.text(connection.sync_error, size="1", color_scheme="amber"),
            ),
            rx.foreach(connection.calendars, _calendar_row),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _connect_oauth(label: str, provider: str, configured) -> rx.Component:
    return rx.cond(
        configured,
        rx.button(rx.link(label, href=oauth_start_href(provider)), as_child=True, size="3"),
        rx.hstack(
            rx.button(label, disabled=True, size="3"),
            rx.text("Not configured", size="1", color_scheme="gray"),
            align="center",
        ),
    )


def _caldav_field(label: str, name: str, kind: str = "text", **props) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(id=name, name=name, type=kind, width="100%", required=True, **props),
        spacing="1",
        width="100%",
    )


def _caldav_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Connect CalDAV", size="3", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Connect CalDAV"),
            rx.dialog.description(
                "iCloud, Fastmail, Nextcloud and other CalDAV servers. "
                "For iCloud use an app-specific password.",
                size="2",
            ),
            rx.form(
                rx.vstack(
                    _caldav_field(
                        "Server URL", "url", "url", placeholder="https://caldav.icloud.com/"
                    ),
                    _caldav_field("Username", "username", auto_complete="username"),
                    _caldav_field("Password", "password", "password", auto_complete="off"),
                    error_callout(CalendarsState.caldav_error),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                        rx.button("Connect", type="submit", loading=CalendarsState.caldav_busy),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="1rem",
                ),
                on_submit=CalendarsState.connect_caldav,
                reset_on_submit=False,
            ),
            max_width="440px",
        ),
        open=CalendarsState.caldav_open,
        on_open_change=CalendarsState.open_caldav,
    )


def calendars_page() -> rx.Component:
    """Linked accounts, their calendars, and the buttons to link more."""
    return rx.container(
        rx.vstack(
            rx.hstack(
                rx.link(rx.icon("arrow-left"), href=routes.ROOMS, aria_label="Back to rooms"),
                rx.heading("Manage calendars", size="6"),
                align="center",
                spacing="3",
            ),
            rx.text(
                "Busy times from checked calendars are hidden from everyone you meet, "
                "in every room. New meetings are added to one calendar of your choice.",
                color_scheme="gray",
                size="2",
            ),
            rx.cond(
                CalendarsState.notice != "",
                rx.callout(CalendarsState.notice, icon="check", color_scheme="green", size="1"),
            ),
            error_callout(CalendarsState.error),
            rx.radio_group.root(
                rx.vstack(
                    rx.foreach(CalendarsState.connections, _connection_card),
                    spacing="3",
                    width="100%",
                ),
                value=CalendarsState.receiving_calendar,
                on_change=CalendarsState.set_receiving,
                width="100%",
            ),
            rx.cond(
                CalendarsState.connections.length() == 0,
                rx.text("No calendar linked yet.", color_scheme="gray"),
            ),
            rx.hstack(
                _connect_oauth("Connect Google", "google", CalendarsState.google_configured),
                _connect_oauth(
                    "Connect Microsoft", "microsoft", CalendarsState.microsoft_configured
                ),
                _caldav_dialog(),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            padding_y="2rem",
            width="100%",
        ),
        size="3",
    )


ON_LOAD = CalendarsState.load_page
