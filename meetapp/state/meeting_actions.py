"""Cancel and Reschedule from a meeting card: ask for an optional reason first."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.models import utcnow
from meetapp.services import booking
from meetapp.services.errors import ServiceError
from meetapp.state.picker import PickerState
from meetapp.state.session import SessionState


class MeetingActionState(rx.State):
    """The small reason dialog of one tab."""

    open: bool = False
    action: str = ""
    meeting_id: int = 0
    error: str = ""

    @rx.event
    def ask(self, action: str, meeting_id: int):
        """Open the reason dialog for "cancel" or "reschedule"."""
        self.action, self.meeting_id, self.error, self.open = action, meeting_id, "", True

    @rx.event
    def close(self, open_: bool = False):
        """Close the dialog."""
        self.open = open_

    @rx.event
    async def submit(self, form: dict):
        """Cancel now, or open the picker to choose the new time."""
        reason = str(form.get("reason", "")).strip()
        if self.action == "reschedule":
            self.open = False
            return PickerState.open_reschedule(self.meeting_id, reason)
        user = (await self.get_state(SessionState)).current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            booking.cancel(self.meeting_id, user, reason, utcnow())
        except ServiceError as error:
            self.error = error.message
            return None
        self.open = False
        return None
