"""Who is signed in: the session cookie and the sign-in / sign-up forms.

The cookie holds an opaque token; the user id lives only in a backend-only
var, and no password hash or token hash ever enters state.
"""

from __future__ import annotations

import reflex as rx

from meetapp import display, routes
from meetapp.config import get_settings
from meetapp.db import open_session
from meetapp.models import User
from meetapp.services import auth
from meetapp.services.errors import ServiceError

SESSION_COOKIE = "meetapp_session"
# Read by `rx.call_script`; answered to a state's own handler (see rooms state).
BROWSER_CLOCK_SCRIPT = (
    "Intl.DateTimeFormat().resolvedOptions().timeZone + '|' + "
    "(new Intl.DateTimeFormat(undefined, {hour: 'numeric'}).resolvedOptions().hour12 ? '12' : '24')"
)


class SessionState(rx.State):
    """The signed-in user of this browser tab."""

    session_token: str = rx.Cookie("", name=SESSION_COOKIE, max_age=30 * 24 * 3600, same_site="lax")
    user_name: str = ""
    user_email: str = ""
    form_error: str = ""
    form_busy: bool = False
    # The browser's zone and clock (24 h or 12 h), kept in cookies so that the
    # first render after a reload already shows local times.
    browser_timezone: str = rx.Cookie("", name="meetapp_tz", max_age=365 * 24 * 3600)
    browser_clock: str = rx.Cookie("24", name="meetapp_clock", max_age=365 * 24 * 3600)
    _user_id: int | None = None

    def _load_user(self) -> User | None:
        with open_session() as db:
            user = auth.user_for_token(db, self.session_token)
        self._user_id = user.id if user else None
        self.user_name = user.name if user else ""
        self.user_email = user.email if user else ""
        return user

    def current_user(self) -> User | None:
        """The signed-in user, re-checked against the database on every call."""
        return self._load_user()

    @rx.var
    def initials(self) -> str:
        """The signed-in user's initials for the avatar."""
        return display.initials(self.user_name)

    @rx.var
    def viewer_timezone(self) -> str:
        """The zone to show times in: the browser's, UTC until it is known."""
        return self.browser_timezone or "UTC"

    def remember_browser_clock(self, reading: str) -> bool:
        """Store what `BROWSER_CLOCK_SCRIPT` read; True when it changed anything.

        Args:
            reading: "<IANA zone>|<12 or 24>" from the browser.
        """
        zone, _, clock = str(reading or "").partition("|")
        zone = auth.canonical_timezone(zone)
        clock = "12" if clock == "12" else "24"
        changed = (zone, clock) != (self.browser_timezone, self.browser_clock)
        self.browser_timezone, self.browser_clock = zone, clock
        if changed and (user := self._load_user()) is not None:
            with open_session() as db:
                auth.update_timezone(db, db.merge(user), zone)
        return changed

    @rx.event
    def read_browser_clock(self):
        """Ask the browser for its zone and clock style."""
        return rx.call_script(BROWSER_CLOCK_SCRIPT, callback=SessionState.store_browser_clock)

    @rx.event
    def store_browser_clock(self, reading: str):
        """Keep what `read_browser_clock` answered."""
        self.remember_browser_clock(reading)

    @rx.event
    def require_user_home(self):
        """On-load of "/": rooms for a signed-in visitor, sign-in otherwise."""
        return rx.redirect(routes.ROOMS if self._load_user() else routes.SIGN_IN)

    @rx.event
    def redirect_if_signed_in(self):
        """On-load for the sign-in pages: a signed-in visitor goes to their rooms."""
        self.form_error = ""
        self.form_busy = False
        if self._load_user() is not None:
            return rx.redirect(routes.ROOMS)
        return None

    def _start(self, user: User, db) -> rx.event.EventSpec:
        self.session_token = auth.start_session(db, user, get_settings().session_days)
        self._user_id, self.user_name, self.user_email = user.id, user.name, user.email
        return rx.redirect(routes.ROOMS)

    @rx.event
    def sign_in(self, form: dict):
        """Check the email and password and start a session."""
        self.form_error = ""
        try:
            with open_session() as db:
                user = auth.authenticate(
                    db, email=form.get("email", ""), password=form.get("password", "")
                )
                return self._start(user, db)
        except ServiceError as error:
            self.form_error = error.message
            return None

    @rx.event
    def sign_up(self, form: dict):
        """Create an account and sign it in."""
        self.form_error = ""
        try:
            with open_session() as db:
                user = auth.sign_up(
                    db,
                    email=form.get("email", ""),
                    name=form.get("name", ""),
                    password=form.get("password", ""),
                    timezone=self.viewer_timezone,
                )
                return self._start(user, db)
        except ServiceError as error:
            self.form_error = error.message
            return None

    @rx.event
    def sign_out(self):
        """End this browser's session."""
        with open_session() as db:
            auth.end_session(db, self.session_token)
        self.session_token = ""
        self._user_id = None
        self.user_name = self.user_email = ""
        return rx.redirect(routes.SIGN_IN)
