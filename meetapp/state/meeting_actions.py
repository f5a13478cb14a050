"""Cancel, Reschedule (meeting card) and Decline (suggested times): ask for a reason first."""

from __future__ import annotations

import reflex as rx

from meetapp import routes
from meetapp.models import utcnow
from meetapp.services import booking
from meetapp.services.errors import ServiceError
from meetapp.state.picker import PickerState
from meetapp.state.session import SessionState


class MeetingActionState(rx.State):
    """The small reason dialog of one tab.

    `target_id` is the meeting (cancel, reschedule) or the proposal (decline).
    """

    open: bool = False
    action: str = ""
    target_id: int = 0
    error: str = ""

    @rx.event
    def ask(self, action: str, target_id: int):
        """Open the reason dialog for "cancel", "reschedule" or "decline"."""
        self.action, self.target_id, self.error, self.open = action, target_id, "", True

    @rx.event
    def close(self, open_: bool = False):
        """Close the dialog."""
        self.open = open_

    @rx.event
    async def submit(self, form: dict):
        """Cancel or decline now, or open the picker to choose the new time."""
        reason = str(form.get("reason", "")).strip()
        if self.action == "reschedule":
            self.open = False
            return PickerState.open_reschedule(self.target_id, reason)
        user = (await self.get_state(SessionState)).current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        answer = booking.decline_proposal if self.action == "decline" else booking.cancel
        try:
            answer(self.target_id, user, reason, utcnow())
        except ServiceError as error:
            self.error = error.message
            return None
        self.open = False
        return None
