"""Native date, time and zone pickers (keyboard-friendly, labelled for screen readers)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

import reflex as rx

from meetapp.services.auth import known_timezones

QUARTER_HOURS = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, 15)]
END_TIMES = [*QUARTER_HOURS[1:], "24:00"]
_SELECT_STYLE = {
    "padding": "0.35rem 0.5rem",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "font_size": "var(--font-size-2)",
    "font_variant_numeric": "tabular-nums",
}


def time_select(value, label, on_change, *, ends: bool = False) -> rx.Component:
    """A 15-minute-step time select; `ends` offers 00:15 .. 24:00."""
    options = END_TIMES if ends else QUARTER_HOURS
    return rx.el.select(
        *[rx.el.option(t, value=t) for t in options],
        value=value,
        on_change=on_change,
        aria_label=label,
        style=_SELECT_STYLE,
    )


def date_input(label, **props) -> rx.Component:
    """A native date field styled like `time_select`; `label` is its accessible name."""
    return rx.el.input(type="date", aria_label=label, style=_SELECT_STYLE, **props)


@cache
def _zone_options() -> list[tuple[str, str]]:
    now = datetime.now(UTC)
    options = []
    for name in sorted(known_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            continue
        offset = now.astimezone(ZoneInfo(name)).strftime("%z")
        options.append((name, f"UTC{offset[:3]}:{offset[3:]}"))
    return options


def timezone_combobox(value, on_change, *, list_id: str, label: str = "Time zone"):
    """A searchable zone field: type to filter IANA zones shown with their UTC offsets."""
    return rx.fragment(
        rx.el.input(
            default_value=value,
            key=value,
            list=list_id,
            on_blur=on_change,
            aria_label=label,
            role="combobox",
            auto_complete="off",
            placeholder="Search time zones",
            style={**_SELECT_STYLE, "width": "100%"},
        ),
        rx.el.datalist(
            *[
                rx.el.option(value=name, label=f"{name} ({offset})")
                for name, offset in _zone_options()
            ],
            id=list_id,
        ),
    )
