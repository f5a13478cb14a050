"""The share-availability wizard: calendar, weekly hours + exceptions, duration.

The rows on screen are the source of truth while editing; every change
re-validates them through the availability service so errors show in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import reflex as rx

from meetapp import routes
from meetapp.db import open_session
from meetapp.models import utcnow
from meetapp.services import availability, busy
from meetapp.services.availability import AvailabilityRules, Range
from meetapp.services.calendar_accounts import oauth_configured
from meetapp.services.errors import ServiceError
from meetapp.state.session import SessionState

WEEKDAY_LABELS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
STEPS = ("Calendar", "Availability", "Duration")
DEFAULT_RANGE = ("09:00", "17:00")


@dataclass
class RangeRow:
    """One start-end pair on screen."""

    start: str
    end: str


@dataclass
class DayRow:
    """One weekday row: on/off, its ranges and the error shown beside it."""

    key: str
    label: str
    enabled: bool
    ranges: list[RangeRow] = field(default_factory=list)
    error: str = ""


@dataclass
class OverrideRow:
    """Date-specific hours: blocked all day, or its own ranges."""

    date: str
    label: str
    unavailable: bool
    ranges: list[RangeRow] = field(default_factory=list)
    error: str = ""


def _rows(ranges: tuple[Range, ...]) -> list[RangeRow]:
    return [RangeRow(r.start, r.end) for r in ranges]


def _ranges(rows: list[RangeRow]) -> tuple[Range, ...]:
    return tuple(Range(r.start, r.end) for r in rows)


class WizardState(rx.State):
    """Editing state of the wizard in one tab."""

    open: bool = False
    step: int = 1
    oauth_configured: dict[str, bool] = {}
    timezone: str = "UTC"
    days: list[DayRow] = []
    overrides: list[OverrideRow] = []
    duration: int = 30
    note: str = ""
    buffer_before: int = 0
    buffer_after: int = 0
    min_notice: int = 240
    horizon_days: int = 30
    daily_limit: int = 0
    errors: dict[str, str] = {}
    copy_from: str = ""
    copy_targets: list[str] = []
    submit_error: str = ""
    _room_id: int = 0

    @rx.var
    def has_errors(self) -> bool:
        """Whether anything blocks Next / Send invite."""
        return bool(self.errors)

    @rx.var
    def step_name(self) -> str:
        """Name of the current step."""
        return STEPS[self.step]

    def _rules(self) -> AvailabilityRules:
        return AvailabilityRules(
            timezone=self.timezone,
            weekly={d.key: _ranges(d.ranges) for d in self.days if d.enabled and d.ranges},
            overrides={o.date: () if o.unavailable else _ranges(o.ranges) for o in self.overrides},
            duration_minutes=self.duration,
            buffer_before_minutes=self.buffer_before,
            buffer_after_minutes=self.buffer_after,
            min_notice_minutes=self.min_notice,
            horizon_days=self.horizon_days,
            daily_limit=self.daily_limit or None,
            note=self.note,
        )

    def _show(self, rules: AvailabilityRules) -> None:
        self.timezone = rules.timezone
        self.days = [
            DayRow(key, label, bool(rules.weekly.get(key)), _rows(rules.weekly.get(key, ())))
            for key, label in WEEKDAY_LABELS.items()
        ]
        self.overrides = [
            OverrideRow(day, _date_label(day), not ranges, _rows(ranges))
            for day, ranges in sorted(rules.overrides.items())
        ]
        self.duration = rules.duration_minutes
        self.note = rules.note
        self.buffer_before = rules.buffer_before_minutes
        self.buffer_after = rules.buffer_after_minutes
        self.min_notice = rules.min_notice_minutes
        self.horizon_days = rules.horizon_days
        self.daily_limit = rules.daily_limit or 0
        self._validate()

    def _validate(self) -> None:
        self.errors = availability.row_errors(self._rules())
        for day in self.days:
            day.error = self.errors.get(day.key, "") if day.enabled else ""
        for row in self.overrides:
            row.error = self.errors.get(row.date, "")
        # Reassign so Reflex sends the nested changes.
        self.days, self.overrides = list(self.days), list(self.overrides)

    @rx.event
    async def open_for_room(self, room_id: int):
        """Open the wizard for a room with the host's last saved availability."""
        session = await self.get_state(SessionState)
        user = session.current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        with open_session() as db:
            rules = availability.saved_rules(db, user.id, session.viewer_timezone)
            has_calendar = busy.has_calendar_connection(db, user.id)
        self.oauth_configured = oauth_configured()
        self._room_id = room_id
        self._show(rules)
        self.step = 1 if has_calendar else 0
        self.submit_error = ""
        self.open = True
        return None

    @rx.event
    def close(self, open_: bool = False):
        """Close (or keep open) the dialog."""
        self.open = open_

    @rx.event
    def go_to(self, step: int):
        """Move to a step; moving forward requires the current one to be valid."""
        self._validate()
        if step > self.step and self.errors and self.step >= 1:
            return
        self.step = max(0, min(step, len(STEPS) - 1))

    @rx.event
    def set_timezone(self, zone: str):
        """Choose the zone the hours are read in."""
        self.timezone = zone.strip()
        self._validate()

    def _day(self, key: str) -> DayRow:
        return next(d for d in self.days if d.key == key)

    @rx.event
    def toggle_day(self, key: str, enabled: bool):
        """Switch a weekday on (with default hours if it had none) or off."""
        day = self._day(key)
        day.enabled = enabled
        if enabled and not day.ranges:
            day.ranges = [RangeRow(*DEFAULT_RANGE)]
        self._validate()

    @rx.event
    def set_day_range(self, key: str, index: int, which: str, value: str):
        """Change the start or end of one weekday range."""
        setattr(self._day(key).ranges[index], which, value)
        self._validate()

    @rx.event
    def add_day_range(self, key: str):
        """Add a range after the day's last one."""
        day = self._day(key)
        day.ranges.append(_next_range(day.ranges))
        day.enabled = True
        self._validate()

    @rx.event
    def remove_day_range(self, key: str, index: int):
        """Remove one range; a day without ranges is switched off."""
        day = self._day(key)
        day.ranges.pop(index)
        day.enabled = bool(day.ranges)
        self._validate()

    @rx.event
    def start_copy(self, key: str):
        """Open "Copy times to…" for a weekday."""
        self.copy_from = key
        self.copy_targets = []

    @rx.event
    def toggle_copy_target(self, key: str, checked: bool):
        """Tick or untick a weekday to copy to."""
        targets = [k for k in self.copy_targets if k != key]
        self.copy_targets = [*targets, key] if checked else targets

    @rx.event
    def apply_copy(self):
        """Give every ticked weekday the source day's ranges."""
        source = self._day(self.copy_from)
        for day in self.days:
            if day.key in self.copy_targets and day.key != source.key:
                day.enabled = source.enabled
                day.ranges = [RangeRow(r.start, r.end) for r in source.ranges]
        self.copy_from, self.copy_targets = "", []
        self._validate()

    def _override(self, day: str) -> OverrideRow:
        return next(o for o in self.overrides if o.date == day)

    @rx.event
    def add_override(self, form: dict):
        """Add date-specific hours for the chosen date (unavailable by default)."""
        day = str(form.get("override_date", ""))
        try:
            date.fromisoformat(day)
        except ValueError:
            self.errors = {**self.errors, "override_date": "Choose a date"}
            return
        if all(o.date != day for o in self.overrides):
            self.overrides = sorted(
                [*self.overrides, OverrideRow(day, _date_label(day), True, [])],
                key=lambda o: o.date,
            )
        self._validate()

    @rx.event
    def set_override_unavailable(self, day: str, unavailable: bool):
        """Block the date all day, or give it its own hours."""
        row = self._override(day)
        row.unavailable = unavailable
        if not unavailable and not row.ranges:
            row.ranges = [RangeRow(*DEFAULT_RANGE)]
        self._validate()

    @rx.event
    def set_override_range(self, day: str, index: int, which: str, value: str):
        """Change the start or end of one range of a date."""
        setattr(self._override(day).ranges[index], which, value)
        self._validate()

    @rx.event
    def add_override_range(self, day: str):
        """Add another range to a date."""
        row = self._override(day)
        row.ranges.append(_next_range(row.ranges))
        row.unavailable = False
        self._validate()

    @rx.event
    def remove_override_range(self, day: str, index: int):
        """Remove one range of a date; a date without ranges is blocked all day."""
        row = self._override(day)
        row.ranges.pop(index)
        row.unavailable = not row.ranges
        self._validate()

    @rx.event
    def remove_override(self, day: str):
        """Forget the date-specific hours of a date."""
        self.overrides = [o for o in self.overrides if o.date != day]
        self._validate()

    @rx.event
    def set_duration(self, minutes: int):
        """Choose the meeting length."""
        self.duration = int(minutes)
        self._validate()

    @rx.event
    def set_note(self, text: str):
        """Keep the optional message."""
        self.note = text
        self._validate()

    @rx.event
    def set_setting(self, name: str, value: str):
        """Change one advanced setting (whole minutes or days)."""
        if name in {"buffer_before", "buffer_after", "min_notice", "horizon_days", "daily_limit"}:
            setattr(self, name, int(value) if str(value).strip().isdigit() else 0)
        self._validate()

    @rx.event
    async def send_invite(self):
        """Post the invite card in the room."""
        self._validate()
        if self.errors:
            self.submit_error = next(iter(self.errors.values()))
            return None
        user = (await self.get_state(SessionState)).current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            with open_session() as db:
                availability.share_availability(db, self._room_id, user, self._rules(), utcnow())
        except ServiceError as error:
            self.submit_error = error.message
            return None
        self.open = False
        return None


def _date_label(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed:%a} {parsed.day} {parsed:%b %Y}"


def _next_range(rows: list[RangeRow]) -> RangeRow:
    """A one-hour range after the last one (or the default when there is none)."""
    if not rows:
        return RangeRow(*DEFAULT_RANGE)
    hour = min(int(rows[-1].end[:2]) + 1, 23)
    return RangeRow(f"{hour:02d}:00", f"{min(hour + 1, 24):02d}:00")
