"""The "Manage calendars" page (/calendars) and the relink banner for other pages."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.calendar_connect import connect_oauth_button, document_link
from meetapp.components.forms import error_callout, field_label
from meetapp.state.calendars import CalendarItem, CalendarsState, ConnectionItem

# provider -> (icon, colour) of the tile beside its name.
_PROVIDER_LOOKS = {
    "google": ("calendar", "blue"),
    "microsoft": ("calendar-range", "cyan"),
    "caldav": ("calendar-days", "orange"),
}

# Widths of the two control columns: narrow (headers wrap) on a phone, one line above.
_COLUMN_WIDTHS = ({"initial": "6rem", "sm": "11rem"}, {"initial": "7rem", "sm": "13rem"})


def _provider_tile(provider: str) -> rx.Component:
    icon, color = _PROVIDER_LOOKS[provider]
    return rx.center(
        rx.icon(icon, size=20, color=rx.color(color, 11)),
        background=rx.color(color, 3),
        border_radius="var(--radius-3)",
        width="40px",
        height="40px",
        flex_shrink="0",
    )


def _connection_tile(provider) -> rx.Component:
    return rx.match(provider, *[(name, _provider_tile(name)) for name in _PROVIDER_LOOKS])


def _hint(text) -> rx.Component:
    return rx.text(text, size="1", color_scheme="gray")


def _calendar_row(calendar: CalendarItem) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.text(calendar.name, weight="medium"),
                rx.cond(calendar.is_primary, rx.badge("Primary", variant="soft", size="1")),
                rx.cond(
                    ~calendar.can_write,
                    rx.badge("Read-only", variant="soft", color_scheme="gray", size="1"),
                ),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
        ),
        rx.table.cell(
            rx.center(
                rx.checkbox(
                    checked=calendar.check_conflicts,
                    on_change=lambda on: CalendarsState.set_check_conflicts(calendar.id, on),
                    aria_label=calendar.conflicts_label,
                ),
            ),
        ),
        rx.table.cell(
            rx.radio_group.item(
                value=calendar.radio_value,
                disabled=~calendar.can_write,
                aria_label=calendar.receives_label,
            ),
            justify="center",
        ),
        align="center",
    )


def _calendar_table(connection: ConnectionItem) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Calendar"),
                rx.table.column_header_cell(
                    "Check for conflicts", justify="center", width=_COLUMN_WIDTHS[0]
                ),
                rx.table.column_header_cell(
                    "Add new meetings here", justify="center", width=_COLUMN_WIDTHS[1]
                ),
            ),
        ),
        rx.table.body(rx.foreach(connection.calendars, _calendar_row)),
        variant="ghost",
        size="2",
        width="100%",
        style={
            # Fixed columns line the controls up from one account's card to the next.
            "& table": {"table_layout": "fixed"},
            # The card's edge already closes the last row.
            "& tbody tr:last-of-type": {"--table-row-box-shadow": "none"},
        },
    )


def _setting_switch(control_id, label, hint: str, checked, on_change) -> rx.Component:
    return rx.hstack(
        rx.switch(id=control_id, checked=checked, on_change=on_change, margin_top="2px"),
        rx.vstack(field_label(label, control_id), _hint(hint), spacing="0"),
        align="start",
        spacing="3",
    )


def _connection_settings(connection: ConnectionItem) -> rx.Component:
    return rx.cond(
        ~connection.is_caldav,
        rx.vstack(
            _setting_switch(
                f"video-{connection.id}",
                connection.video_label,
                "Meetings added to this account's calendar get a video link of their own.",
                connection.want_conference,
                lambda on: CalendarsState.set_want_conference(connection.id, on),
            ),
            rx.cond(
                connection.has_tentative_setting,
                _setting_switch(
                    f"tentative-{connection.id}",
                    "Count tentative as busy",
                    "Events you answered “Tentative” keep their time from being offered.",
                    connection.tentative_is_busy,
                    lambda on: CalendarsState.set_tentative_is_busy(connection.id, on),
                ),
            ),
            spacing="3",
            width="100%",
        ),
    )


def _relink_button(connection: ConnectionItem) -> rx.Component:
    return rx.cond(
        connection.is_caldav,
        rx.button("Relink", on_click=CalendarsState.relink_caldav(connection.id), size="2"),
        rx.button(document_link("Relink", connection.relink_href), as_child=True, size="2"),
    )


def _disconnect_dialog(connection: ConnectionItem) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button("Disconnect", variant="soft", color_scheme="gray", size="2")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Disconnect " + connection.provider_label + "?"),
            rx.alert_dialog.description(
                connection.account_email
                + " will no longer be checked for conflicts. "
                + "Meetings already added stay in its calendar.",
                size="2",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Disconnect",
                        color_scheme="red",
                        on_click=CalendarsState.disconnect(connection.id),
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
            max_width="440px",
        ),
    )


def _connection_header(connection: ConnectionItem) -> rx.Component:
    return rx.hstack(
        _connection_tile(connection.provider),
        rx.vstack(
            rx.hstack(
                rx.text(connection.provider_label, weight="bold", size="3"),
                rx.cond(
                    connection.needs_relink,
                    rx.badge("Needs relinking", color_scheme="red"),
                    rx.badge("Connected", color_scheme="green"),
                ),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(
                connection.account_email,
                size="2",
                color_scheme="gray",
                overflow_wrap="anywhere",
            ),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.cond(connection.needs_relink, _relink_button(connection)),
        _disconnect_dialog(connection),
        align="center",
        width="100%",
        spacing="3",
    )


def _connection_card(connection: ConnectionItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            _connection_header(connection),
            rx.cond(
                connection.sync_error != "",
                rx.callout(
                    connection.sync_error,
                    icon="triangle-alert",
                    color_scheme="amber",
                    size="1",
                    width="100%",
                ),
            ),
            _calendar_table(connection),
            _connection_settings(connection),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        role="region",
        aria_label=connection.region_label,
    )


def _oauth_hint(provider: str, hint: str) -> rx.Var:
    """The row's hint, or why its Connect button is disabled."""
    return rx.cond(CalendarsState.oauth_configured[provider], hint, "Not configured on this server")


def _provider_row(provider: str, title: str, hint, action: rx.Component) -> rx.Component:
    return rx.hstack(
        _provider_tile(provider),
        rx.vstack(rx.text(title, weight="medium"), _hint(hint), spacing="0", flex="1"),
        action,
        align="center",
        spacing="3",
        width="100%",
        role="group",
        aria_label=title,
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
        rx.dialog.trigger(rx.button("Connect CalDAV", variant="soft")),
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


def _add_calendar_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            _provider_row(
                "google",
                "Google Calendar",
                _oauth_hint("google", "Gmail and Google Workspace"),
                connect_oauth_button("Connect Google", "google", CalendarsState.oauth_configured),
            ),
            rx.separator(size="4"),
            _provider_row(
                "microsoft",
                "Microsoft 365",
                _oauth_hint("microsoft", "Outlook.com, Outlook and Microsoft 365"),
                connect_oauth_button(
                    "Connect Microsoft", "microsoft", CalendarsState.oauth_configured
                ),
            ),
            rx.separator(size="4"),
            _provider_row(
                "caldav",
                "CalDAV",
                "iCloud, Fastmail, Nextcloud and other servers",
                _caldav_dialog(),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _empty_state() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("calendar-x", color=rx.color("gray", 9)),
            rx.vstack(
                rx.text("No calendar linked yet", weight="medium"),
                _hint(
                    "Link one below so busy times are never offered and new meetings "
                    "land in your calendar."
                ),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        variant="surface",
        size="3",
        width="100%",
    )


def _section_title(text: str) -> rx.Component:
    return rx.heading(text, size="4", margin_top="0.75rem")


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
                rx.callout(
                    CalendarsState.notice,
                    icon="check",
                    color_scheme="green",
                    size="1",
                    width="100%",
                    role="status",
                ),
            ),
            error_callout(CalendarsState.error),
            _section_title("Your calendars"),
            rx.cond(
                CalendarsState.connections.length() == 0,
                _empty_state(),
                rx.radio_group.root(
                    rx.vstack(
                        rx.foreach(CalendarsState.connections, _connection_card),
                        spacing="4",
                        width="100%",
                    ),
                    value=CalendarsState.receiving_calendar,
                    on_change=CalendarsState.set_receiving,
                    aria_label="Add new meetings to",
                    width="100%",
                ),
            ),
            _section_title("Add a calendar"),
            _add_calendar_card(),
            spacing="4",
            padding_y="2rem",
            width="100%",
        ),
        size="3",
    )


ON_LOAD = CalendarsState.load_page
