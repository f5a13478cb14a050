"""Suggesting other times from the schedule dialog, and the host's answer on the card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from meetapp import routes
from meetapp.models import utcnow
from meetapp.services import booking
from meetapp.services.auth import canonical_timezone
from meetapp.services.errors import ServiceError
from meetapp.services.proposals import MAX_TIMES
from meetapp.state.picker import PickerState
from meetapp.state.session import SessionState

DEFAULT_TIME = "09:00"


@dataclass
class SuggestionRow:
    """One suggested start the invitee is typing: a date and a time in their zone."""

    day: str
    time: str


class ProposalState(rx.State):
    """The "Suggest another time" form inside the schedule dialog of one tab."""

    suggesting: bool = False
    rows: list[SuggestionRow] = []
    error: str = ""
    min_day: str = ""

    @rx.var
    def can_add(self) -> bool:
        """Whether another suggestion row may be added (up to three)."""
        return len(self.rows) < MAX_TIMES

    @rx.event
    def reset_form(self):
        """Forget an earlier form: the dialog always opens on the offered times."""
        self.suggesting, self.rows, self.error = False, [], ""

    @rx.event
    async def start(self):
        """Switch the dialog to the form, starting on the selected date (or tomorrow)."""
        picker = await self.get_state(PickerState)
        today = utcnow().astimezone(ZoneInfo(canonical_timezone(picker.zone))).date()
        self.min_day = today.isoformat()
        first = picker.selected or (today + timedelta(days=1)).isoformat()
        self.rows, self.error, self.suggesting = [SuggestionRow(first, DEFAULT_TIME)], "", True

    @rx.event
    def back(self):
        """Back to the offered times."""
        self.suggesting, self.error = False, ""

    @rx.event
    def add_row(self):
        """Add another suggestion (at most three)."""
        if self.can_add:
            last = self.rows[-1] if self.rows else SuggestionRow(self.min_day, DEFAULT_TIME)
            self.rows = [*self.rows, SuggestionRow(last.day, last.time)]

    @rx.event
    def remove_row(self, index: int):
        """Drop one suggestion; the last one stays."""
        if len(self.rows) > 1 and 0 <= index < len(self.rows):
            self.rows = [row for i, row in enumerate(self.rows) if i != index]

    @rx.event
    def set_day(self, index: int, value: str):
        """Keep the date typed into row `index`."""
        self._set(index, day=value)

    @rx.event
    def set_time(self, index: int, value: str):
        """Keep the time chosen in row `index`."""
        self._set(index, time=value)

    def _set(self, index: int, **change: str) -> None:
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            self.rows[index] = SuggestionRow(
                change.get("day", row.day), change.get("time", row.time)
            )
            self.rows = list(self.rows)
            self.error = ""

    @rx.event
    async def send(self):
        """Post the suggestions to the room; the host answers on the card."""
        session = await self.get_state(SessionState)
        user = session.current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        picker = await self.get_state(PickerState)
        try:
            starts = [booking.local_start(r.day, r.time, picker.zone) for r in self.rows]
            booking.propose_times(picker.invite_id, user, starts, utcnow())
        except ServiceError as error:
            self.error = error.message
            return None
        self.suggesting, self.rows = False, []
        picker.open = False
        return None

    @rx.event
    async def accept(self, proposal_id: int, start: str):
        """The host books one of the suggested times."""
        user = (await self.get_state(SessionState)).current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            booking.accept_proposal(proposal_id, user, datetime.fromisoformat(start), utcnow())
        except ServiceError as error:
            return rx.toast.error(error.message)
        return None
