"""The "Manage calendars" page: linked accounts, calendar choices, CalDAV form.

Only display data enters this state; credentials stay in the database, encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from meetapp import routes
from meetapp.db import open_session
from meetapp.models import User
from meetapp.services import calendar_choices
from meetapp.services.calendar_accounts import Provider, oauth_configured
from meetapp.services.calendar_caldav import link_caldav
from meetapp.services.calendar_links import disconnect
from meetapp.services.errors import ServiceError
from meetapp.state.session import SessionState

# The OAuth routes answer errors with a code only; this is the text we show for it.
CALLBACK_ERRORS = {
    "state": "That link request expired or was not yours. Please connect again.",
    "consent": "Calendar access was not granted. Allow meetapp to see and edit your calendars.",
    "provider": "That calendar provider is not available right now.",
    "failed": "Linking failed. Please try again.",
}


@dataclass
class CalendarItem:
    """One calendar row: its name, badges and the accessible names of its controls."""

    id: int
    name: str
    radio_value: str
    conflicts_label: str
    receives_label: str
    is_primary: bool
    can_write: bool
    check_conflicts: bool


@dataclass
class ConnectionItem:
    """One linked account card."""

    id: int
    provider: str
    provider_label: str
    account_email: str
    region_label: str
    needs_relink: bool
    is_caldav: bool
    relink_href: str
    sync_error: str
    calendars: list[CalendarItem]
    video_label: str
    want_conference: bool
    has_tentative_setting: bool
    tentative_is_busy: bool


def _calendar_item(calendar: calendar_choices.CalendarView) -> CalendarItem:
    return CalendarItem(
        id=calendar.id,
        name=calendar.name,
        radio_value=str(calendar.id),
        conflicts_label=f"Check {calendar.name} for conflicts",
        receives_label=f"Add new meetings to {calendar.name}",
        is_primary=calendar.is_primary,
        can_write=calendar.can_write,
        check_conflicts=calendar.check_conflicts,
    )


def _item(view: calendar_choices.ConnectionView) -> ConnectionItem:
    is_caldav = view.provider == Provider.CALDAV
    return ConnectionItem(
        id=view.id,
        provider=view.provider,
        provider_label=view.provider_label,
        account_email=view.account_email,
        region_label=f"{view.provider_label} account {view.account_email}",
        needs_relink=view.needs_relink,
        is_caldav=is_caldav,
        relink_href="" if is_caldav else routes.calendar_oauth_start(view.provider, view.id),
        sync_error=view.last_sync_error,
        calendars=[_calendar_item(c) for c in view.calendars],
        video_label=f"Add a video link ({view.video_service})" if view.video_service else "",
        want_conference=view.want_conference,
        has_tentative_setting=view.has_tentative_setting,
        tentative_is_busy=view.tentative_is_busy,
    )


class CalendarsState(rx.State):
    """Linked calendar accounts of the signed-in user."""

    connections: list[ConnectionItem] = []
    receiving_calendar: str = ""
    oauth_configured: dict[str, bool] = {}
    notice: str = ""
    error: str = ""
    caldav_open: bool = False
    caldav_error: str = ""
    caldav_busy: bool = False
    _relink_connection_id: int | None = None

    async def _user(self) -> User | None:
        return (await self.get_state(SessionState)).current_user()

    def _reload(self, user: User) -> None:
        with open_session() as db:
            views = calendar_choices.list_connections(db, user.id)
        self.connections = [_item(v) for v in views]
        self.receiving_calendar = next(
            (str(c.id) for v in views for c in v.calendars if c.receives_meetings), ""
        )
        self.oauth_configured = oauth_configured()

    async def _run(self, change) -> None:
        """Apply ``change(db, user_id)``, show its error if any, and re-read the page."""
        user = await self._user()
        if user is None:
            return
        self.error = self.notice = ""
        try:
            with open_session() as db:
                change(db, user.id)
        except ServiceError as exc:
            self.error = exc.message
        self._reload(user)

    @rx.event
    async def load_page(self):
        """On-load: check sign-in, show the OAuth callback's outcome, load accounts."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        query = self.router.page.params
        self.error = CALLBACK_ERRORS.get(str(query.get("error", "")), "")
        self.notice = "Calendar linked." if query.get("linked") else ""
        self.caldav_open = False
        self._reload(user)
        if query:
            # Shown once: a reload of the page must not announce the same link again.
            return rx.call_script(f"history.replaceState(history.state, '', '{routes.CALENDARS}')")
        return None

    @rx.event
    async def set_check_conflicts(self, calendar_id: int, checked: bool):
        """Tick or untick "Check for conflicts" for one calendar."""
        await self._run(
            lambda db, uid: calendar_choices.set_check_conflicts(db, uid, calendar_id, checked)
        )

    @rx.event
    async def set_receiving(self, value: str):
        """Choose the calendar new meetings are added to."""
        if value.isdigit():
            await self._run(
                lambda db, uid: calendar_choices.set_receives_meetings(db, uid, int(value))
            )

    @rx.event
    async def set_want_conference(self, connection_id: int, wanted: bool):
        """Turn the account's video link (Google Meet / Teams) on or off."""
        await self._run(
            lambda db, uid: calendar_choices.set_want_conference(db, uid, connection_id, wanted)
        )

    @rx.event
    async def set_tentative_is_busy(self, connection_id: int, busy: bool):
        """Choose whether tentative events of a Microsoft account block time."""
        await self._run(
            lambda db, uid: calendar_choices.set_tentative_is_busy(db, uid, connection_id, busy)
        )

    @rx.event
    def open_caldav(self, open_: bool):
        """Open or close the "Connect CalDAV" dialog for a new account."""
        self.caldav_open, self.caldav_error = open_, ""
        self._relink_connection_id = None

    @rx.event
    def relink_caldav(self, connection_id: int):
        """Open the CalDAV dialog to enter a new password for an existing account."""
        self.caldav_open, self.caldav_error = True, ""
        self._relink_connection_id = connection_id

    @rx.event
    async def connect_caldav(self, form: dict):
        """Check the CalDAV server, URL and password, then link the account."""
        user = await self._user()
        if user is None:
            yield rx.redirect(routes.SIGN_IN)
            return
        self.caldav_busy, self.caldav_error = True, ""
        yield
        try:
            await link_caldav(
                user.id,
                str(form.get("url", "")),
                str(form.get("username", "")),
                str(form.get("password", "")),
                connection_id=self._relink_connection_id,
            )
        except ServiceError as exc:
            self.caldav_error = exc.message
        else:
            self.caldav_open, self.notice = False, "Calendar linked."
            self._reload(user)
        finally:
            self.caldav_busy = False

    @rx.event
    async def disconnect(self, connection_id: int):
        """Forget an account (events already written stay in that calendar)."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.error = self.notice = ""
        try:
            await disconnect(user.id, connection_id)
        except ServiceError as exc:
            self.error = exc.message
        else:
            self.notice = "Calendar disconnected."
        self._reload(user)
        return None
