"""The share-availability wizard dialog (Calendar · Availability · Duration)."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.components.buttons import quiet_icon_button
from meetapp.components.calendar_connect import connect_oauth_button
from meetapp.components.forms import error_callout
from meetapp.components.time_select import date_input, time_select, timezone_combobox
from meetapp.state.wizard import STEPS, WEEKDAY_LABELS, DayRow, OverrideRow, RangeRow, WizardState


def _stepper() -> rx.Component:
    def step(index: int, name: str) -> rx.Component:
        current = WizardState.step == index
        return rx.hstack(
            rx.badge(
                str(index + 1),
                radius="full",
                variant=rx.cond(current, "solid", "soft"),
                color_scheme=rx.cond(WizardState.step >= index, "indigo", "gray"),
            ),
            rx.text(name, size="2", weight=rx.cond(current, "bold", "regular")),
            align="center",
            spacing="2",
            aria_current=rx.cond(current, "step", "false"),
        )

    parts = []
    for index, name in enumerate(STEPS):
        if index:
            parts.append(rx.text("·", color_scheme="gray"))
        parts.append(step(index, name))
    return rx.hstack(*parts, spacing="3", align="center", role="list", aria_label="Steps")


def _range_editor(row: RangeRow, index, label: str, on_change, on_remove) -> rx.Component:
    return rx.hstack(
        time_select(row.start, f"{label} start", lambda v: on_change(index, "start", v)),
        rx.text("–", color_scheme="gray"),
        time_select(row.end, f"{label} end", lambda v: on_change(index, "end", v), ends=True),
        quiet_icon_button(
            "x",
            f"Remove {label} range",
            icon_size=14,
            size="1",
            on_click=on_remove(index),
        ),
        align="center",
        spacing="2",
    )


def _copy_popover(day: DayRow) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            quiet_icon_button(
                "copy",
                "Copy times to…",
                icon_size=14,
                size="1",
                title=f"Copy {day.label} times to…",
                on_click=WizardState.start_copy(day.key),
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.text("Copy times to…", size="2", weight="medium"),
                *[
                    rx.cond(
                        day.key != key,
                        rx.el.label(
                            rx.checkbox(
                                checked=WizardState.copy_targets.contains(key),
                                on_change=lambda c, k=key: WizardState.toggle_copy_target(k, c),
                            ),
                            rx.text(label, size="2"),
                            style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
                        ),
                    )
                    for key, label in WEEKDAY_LABELS.items()
                ],
                rx.popover.close(rx.button("Apply", size="1", on_click=WizardState.apply_copy)),
                spacing="2",
            ),
            side="bottom",
        ),
    )


def _day_row(day: DayRow) -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.switch(
                checked=day.enabled,
                on_change=lambda on: WizardState.toggle_day(day.key, on),
                aria_label=day.label,
            ),
            rx.text(day.label, size="2", weight="medium"),
            width="130px",
            flex_shrink="0",
            align="center",
        ),
        rx.vstack(
            rx.cond(
                day.enabled,
                rx.foreach(
                    day.ranges,
                    lambda row, i: _range_editor(
                        row,
                        i,
                        day.label,
                        lambda idx, which, v: WizardState.set_day_range(day.key, idx, which, v),
                        lambda idx: WizardState.remove_day_range(day.key, idx),
                    ),
                ),
                rx.text("Unavailable", size="2", color_scheme="gray", padding_y="0.3rem"),
            ),
            rx.cond(
                day.error != "", rx.text(day.error, size="1", color_scheme="red", role="alert")
            ),
            spacing="1",
            flex="1",
        ),
        rx.hstack(
            quiet_icon_button(
                "plus",
                f"Add range to {day.label}",
                icon_size=14,
                size="1",
                title="Add range",
                on_click=WizardState.add_day_range(day.key),
            ),
            _copy_popover(day),
            spacing="2",
        ),
        align="start",
        width="100%",
        padding_y="0.4rem",
        border_bottom=f"1px solid {rx.color('gray', 3)}",
    )


def _override_row(row: OverrideRow) -> rx.Component:
    return rx.hstack(
        rx.text(row.label, size="2", weight="medium", width="130px", flex_shrink="0"),
        rx.vstack(
            rx.el.label(
                rx.checkbox(
                    checked=row.unavailable,
                    on_change=lambda c: WizardState.set_override_unavailable(row.date, c),
                ),
                rx.text("Unavailable all day", size="2"),
                style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
            ),
            rx.cond(
                ~row.unavailable,
                rx.foreach(
                    row.ranges,
                    lambda r, i: _range_editor(
                        r,
                        i,
                        row.label,
                        lambda idx, which, v: WizardState.set_override_range(
                            row.date, idx, which, v
                        ),
                        lambda idx: WizardState.remove_override_range(row.date, idx),
                    ),
                ),
            ),
            rx.cond(
                row.error != "", rx.text(row.error, size="1", color_scheme="red", role="alert")
            ),
            spacing="2",
            flex="1",
        ),
        quiet_icon_button(
            "trash-2",
            f"Remove {row.label}",
            icon_size=14,
            size="1",
            on_click=WizardState.remove_override(row.date),
        ),
        width="100%",
        align="start",
        padding_y="0.4rem",
    )


def _manage_calendars_link(label: str) -> rx.Component:
    # Closing first: the wizard would otherwise come back stale on the next page.
    return rx.link(
        label,
        href=routes.CALENDARS,
        on_click=WizardState.close(False),
        size="2",
    )


def _calendar_step() -> rx.Component:
    return rx.vstack(
        rx.heading("Connect your calendar", size="4"),
        rx.text(
            "Link Google, Microsoft 365 or any CalDAV calendar (iCloud, Fastmail, Nextcloud) so "
            "times you are busy are never offered, and booked meetings land in your calendar.",
            size="2",
            color_scheme="gray",
        ),
        rx.hstack(
            connect_oauth_button("Connect Google", "google", WizardState.oauth_configured),
            connect_oauth_button("Connect Microsoft", "microsoft", WizardState.oauth_configured),
            wrap="wrap",
            spacing="3",
        ),
        rx.cond(
            WizardState.oauth_configured["google"] | WizardState.oauth_configured["microsoft"],
            rx.fragment(),
            rx.text(
                "Google and Microsoft are not configured on this server.",
                size="1",
                color_scheme="gray",
            ),
        ),
        _manage_calendars_link("Connect iCloud or another CalDAV calendar"),
        rx.text(
            "No calendar? Skip: you can still share your hours.", size="2", color_scheme="gray"
        ),
        spacing="3",
        padding_y="1rem",
    )


def _availability_step() -> rx.Component:
    return rx.vstack(
        rx.text("Time zone", size="2", weight="medium"),
        timezone_combobox(WizardState.timezone, WizardState.set_timezone, list_id="wizard-zones"),
        rx.cond(
            WizardState.errors.contains("timezone"),
            rx.text(WizardState.errors["timezone"], size="1", color_scheme="red"),
        ),
        rx.box(rx.foreach(WizardState.days, _day_row), width="100%"),
        rx.heading("Date-specific hours", size="3", margin_top="0.75rem"),
        rx.form(
            rx.hstack(
                date_input("Date", name="override_date"),
                rx.button("Add date", size="1", variant="soft", type="submit"),
                align="center",
            ),
            on_submit=WizardState.add_override,
            reset_on_submit=True,
        ),
        rx.foreach(WizardState.overrides, _override_row),
        spacing="2",
        width="100%",
    )


def _number_setting(label: str, name: str, value, unit: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", flex="1"),
        rx.el.input(
            type="number",
            min="0",
            default_value=value.to_string(),
            on_blur=lambda v: WizardState.set_setting(name, v),
            aria_label=label,
            style={
                "width": "5.5rem",
                "padding": "0.3rem",
                "border": "1px solid var(--gray-7)",
                "border_radius": "var(--radius-2)",
            },
        ),
        rx.text(unit, size="2", color_scheme="gray", width="4rem"),
        align="center",
        width="100%",
    )


def _duration_step() -> rx.Component:
    return rx.vstack(
        rx.text("Meeting duration", size="2", weight="medium"),
        rx.hstack(
            *[
                rx.button(
                    f"{m} min",
                    variant=rx.cond(WizardState.duration == m, "solid", "outline"),
                    on_click=WizardState.set_duration(m),
                    aria_pressed=rx.cond(WizardState.duration == m, "true", "false"),
                )
                for m in (15, 30, 45, 60)
            ],
            spacing="2",
        ),
        rx.text("Message (optional)", size="2", weight="medium", margin_top="0.5rem"),
        rx.text_area(
            default_value=WizardState.note,
            on_blur=WizardState.set_note,
            aria_label="Message (optional)",
            placeholder="What would you like to talk about?",
            max_length=1000,
            width="100%",
            rows="3",
        ),
        rx.cond(
            WizardState.errors.contains("note"),
            rx.text(WizardState.errors["note"], size="1", color_scheme="red"),
        ),
        rx.el.details(
            rx.el.summary("Advanced", style={"cursor": "pointer", "font_weight": "500"}),
            rx.vstack(
                _number_setting(
                    "Buffer before", "buffer_before", WizardState.buffer_before, "minutes"
                ),
                _number_setting(
                    "Buffer after", "buffer_after", WizardState.buffer_after, "minutes"
                ),
                _number_setting("Minimum notice", "min_notice", WizardState.min_notice, "minutes"),
                _number_setting(
                    "Bookable up to N days ahead", "horizon_days", WizardState.horizon_days, "days"
                ),
                _number_setting(
                    "Max meetings per day", "daily_limit", WizardState.daily_limit, "(0 = no limit)"
                ),
                spacing="2",
                padding_top="0.5rem",
                width="100%",
            ),
            style={"width": "100%", "margin_top": "0.5rem"},
        ),
        spacing="2",
        width="100%",
    )


def _footer() -> rx.Component:
    return rx.hstack(
        rx.cond(
            WizardState.step > 0,
            rx.button(
                "Back",
                variant="soft",
                color_scheme="gray",
                on_click=WizardState.go_to(WizardState.step - 1),
            ),
        ),
        rx.spacer(),
        rx.cond(
            WizardState.step == 0,
            rx.button("Skip", variant="ghost", on_click=WizardState.go_to(1)),
        ),
        rx.cond(
            WizardState.step < 2,
            rx.button(
                "Next",
                on_click=WizardState.go_to(WizardState.step + 1),
                disabled=(WizardState.step == 1) & WizardState.has_errors,
            ),
            rx.button(
                "Send invite", on_click=WizardState.send_invite, disabled=WizardState.has_errors
            ),
        ),
        width="100%",
        padding_top="0.75rem",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def share_wizard() -> rx.Component:
    """The dialog a host uses to share availability in a room."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.vstack(
                rx.hstack(
                    rx.dialog.title("Share your availability", margin="0"),
                    rx.spacer(),
                    _manage_calendars_link("Manage calendars"),
                    align="center",
                    width="100%",
                ),
                _stepper(),
                rx.scroll_area(
                    rx.match(
                        WizardState.step,
                        (0, _calendar_step()),
                        (1, _availability_step()),
                        _duration_step(),
                    ),
                    max_height="60vh",
                    type="auto",
                    scrollbars="vertical",
                    padding_right="0.75rem",
                ),
                error_callout(WizardState.submit_error),
                _footer(),
                spacing="3",
                width="100%",
            ),
            max_width="720px",
            width="100%",
        ),
        open=WizardState.open,
        on_open_change=WizardState.close,
    )
