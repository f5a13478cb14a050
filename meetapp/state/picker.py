"""The two-pane schedule dialog: month grid of bookable dates, times of the chosen date.

Slots come from the booking service in the viewer's zone; the service checks
everything again on Confirm, so nothing here is trusted.
"""

from __future__ import annotations

import asyncio
import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from meetapp import display, routes
from meetapp.db import open_session
from meetapp.models import User, utcnow
from meetapp.services import booking, calendar_sync, rooms
from meetapp.services.errors import Conflict, ServiceError
from meetapp.state.session import SessionState


@dataclass
class DayCell:
    """One date in the month grid."""

    iso: str
    day: str
    in_month: bool
    available: bool
    today: bool
    selected: bool
    label: str


@dataclass
class GuestOption:
    """Another room member the booker may invite too."""

    id: int
    name: str
    checked: bool


@dataclass
class TimeItem:
    """One bookable start time of the selected date."""

    label: str
    start: str


class PickerState(rx.State):
    """The schedule dialog in one tab (booking an invite or rescheduling a meeting)."""

    open: bool = False
    invite_id: int = 0
    meeting_id: int = 0
    reason: str = ""
    host_name: str = ""
    duration: str = ""
    zone: str = "UTC"
    zone_short: str = ""
    month: str = ""
    cells: list[DayCell] = []
    selected: str = ""
    selected_heading: str = ""
    times: list[TimeItem] = []
    guests: list[GuestOption] = []
    chosen: str = ""
    error: str = ""
    success: str = ""
    _slots: dict[str, list[tuple[str, str]]] = {}
    _clock: str = "24"

    @rx.var
    def month_title(self) -> str:
        """The shown month, e.g. "March 2026"."""
        if not self.month:
            return ""
        year, month = map(int, self.month.split("-"))
        return f"{calendar.month_name[month]} {year}"

    async def _viewer(self) -> tuple[User | None, SessionState]:
        session = await self.get_state(SessionState)
        return session.current_user(), session

    def _load(self, user: User) -> None:
        now = utcnow()
        with open_session() as db:
            if self.meeting_id:
                days = booking.reschedule_slots(db, self.meeting_id, user.id, self.zone, now)
            else:
                days = booking.offered_slots(db, self.invite_id, user.id, self.zone, now)
        clock = self._clock
        self._slots = {
            d.date: [
                (display.clock_time(datetime.fromisoformat(t.start), self.zone, clock), t.start)
                for t in d.times
            ]
            for d in days
        }
        self.zone_short = datetime.now(ZoneInfo(self.zone)).tzname() or ""
        if self.selected not in self._slots:
            self.selected = min(self._slots) if self._slots else ""
        if self.selected:
            self.month = self.selected[:7]
        elif not self.month:
            self.month = now.astimezone(ZoneInfo(self.zone)).strftime("%Y-%m")
        self._render()

    def _render(self) -> None:
        year, month = map(int, self.month.split("-"))
        today = utcnow().astimezone(ZoneInfo(self.zone)).date()
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        self.cells = [
            DayCell(
                iso=d.isoformat(),
                day=str(d.day),
                in_month=d.month == month,
                available=d.isoformat() in self._slots,
                today=d == today,
                selected=d.isoformat() == self.selected,
                label=f"{d:%A} {d.day} {d:%B}",
            )
            for week in weeks
            for d in week
        ]
        self.times = [TimeItem(label, start) for label, start in self._slots.get(self.selected, [])]
        if self.selected:
            picked = date.fromisoformat(self.selected)
            self.selected_heading = f"{picked:%A}, {picked.day} {picked:%B}"
        else:
            self.selected_heading = ""

    async def _open(self, invite_id: int, meeting_id: int, reason: str = ""):
        user, session = await self._viewer()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.invite_id, self.meeting_id, self.reason = invite_id, meeting_id, reason
        self.zone, self._clock = session.viewer_timezone, session.browser_clock
        self.selected = self.month = self.chosen = self.error = self.success = ""
        self.guests = []
        try:
            with open_session() as db:
                if meeting_id:
                    view = booking.meeting_view(
                        db, meeting_id, user.id, self.zone, session.browser_clock, utcnow()
                    )
                    self.host_name, self.duration = view.host_name, f"{view.duration_minutes} min"
                    host_id = view.host_id
                else:
                    invite = booking.invite_view(db, invite_id, user.id)
                    self.host_name = invite.host_name
                    self.duration = f"{invite.duration_minutes} min"
                    host_id = invite.host_id
                    self.guests = [
                        GuestOption(p.id, p.name, False)
                        for p in rooms.members(db, invite.room_id)
                        if p.id not in (host_id, user.id)
                    ]
            # Only stale calendars are synced, bounded by the short provider timeout;
            # a fresh cache costs no provider call.
            await calendar_sync.ensure_fresh_busy(host_id, utcnow())
            self._load(user)
        except ServiceError as error:
            self.error = error.message
        self.open = True
        return None

    @rx.event
    async def open_invite(self, invite_id: int):
        """Open the dialog to book an invite."""
        return await self._open(invite_id, 0)

    @rx.event
    async def open_reschedule(self, meeting_id: int, reason: str = ""):
        """Open the dialog to move a booked meeting."""
        return await self._open(0, meeting_id, reason)

    @rx.event
    def close(self, open_: bool = False):
        """Close the dialog."""
        self.open = open_

    @rx.event
    def show_month(self, delta: int):
        """Show the previous (-1) or next (+1) month."""
        year, month = map(int, self.month.split("-"))
        month += delta
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        self.month = f"{year:04d}-{month:02d}"
        self._render()

    @rx.event
    def select_date(self, iso: str):
        """Show the times of a date that has slots."""
        if iso in self._slots:
            self.selected, self.chosen, self.error = iso, "", ""
            self.month = iso[:7]
            self._render()

    @rx.event
    def choose(self, start: str):
        """Pick a time; its Confirm button appears beside it."""
        self.chosen = start
        self.error = ""

    @rx.event
    def toggle_guest(self, guest_id: int, checked: bool):
        """Invite (or not) another room member to the meeting."""
        self.guests = [
            GuestOption(g.id, g.name, checked if g.id == guest_id else g.checked)
            for g in self.guests
        ]

    @rx.event
    async def change_zone(self, zone: str):
        """Show the times in another zone."""
        user, _ = await self._viewer()
        if user is None or not zone.strip():
            return
        self.zone = zone.strip()
        self.chosen = ""
        try:
            self._load(user)
        except ServiceError as error:
            self.error = error.message

    @rx.event
    async def confirm(self):
        """Book (or move the meeting to) the chosen time."""
        user, session = await self._viewer()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        start = datetime.fromisoformat(self.chosen)
        now = utcnow()
        try:
            if self.meeting_id:
                booking.reschedule(self.meeting_id, user, start, self.reason, now)
            else:
                guest_ids = [g.id for g in self.guests if g.checked]
                booking.book(self.invite_id, user, start, now, guest_ids=guest_ids)
        except Conflict as error:
            self.error = error.message
            self.chosen = ""
            self._load(user)
            return None
        except ServiceError as error:
            self.error = error.message
            return None
        end = start + _duration(self.duration)
        when = display.clock_time(start, self.zone, session.browser_clock)
        until = display.clock_time(end, self.zone, session.browser_clock)
        zone_name = start.astimezone(ZoneInfo(self.zone)).tzname()
        self.success = f"{self.selected_heading}, {when} – {until} {zone_name}"
        return PickerState.close_soon

    @rx.event(background=True)
    async def close_soon(self):
        """Leave the success message up briefly, then close."""
        await asyncio.sleep(1.5)
        async with self:
            self.open = False


def _duration(label: str) -> timedelta:
    return timedelta(minutes=int(label.split()[0] or 0))
