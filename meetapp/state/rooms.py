"""The rooms list and the open room: messages, members, composer.

Every handler re-resolves the signed-in user and re-checks membership in the
service layer; a tab that is not a member sees "not found" and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from meetapp import display, routes
from meetapp.db import open_session
from meetapp.models import MessageKind, User, utcnow
from meetapp.realtime import hub
from meetapp.realtime.changes import room_topic, user_topic
from meetapp.services import calendar_choices, rooms
from meetapp.services.errors import NotFound, ServiceError
from meetapp.state import cards
from meetapp.state.cards import CardItem
from meetapp.state.session import BROWSER_CLOCK_SCRIPT, SessionState


@dataclass
class RoomItem:
    """A room in the sidebar."""

    id: int
    href: str
    title: str
    initials: str
    preview: str
    time: str
    unread: int


@dataclass
class MessageItem:
    """A message as the open room shows it."""

    id: int
    kind: str
    author: str
    initials: str
    mine: bool
    body: str
    time: str
    ref_id: int
    card: CardItem


@dataclass
class MemberItem:
    """A member avatar in the room header."""

    name: str
    initials: str
    email: str


class RoomsState(rx.State):
    """Rooms of the signed-in user and the room open in this tab."""

    rooms: list[RoomItem] = []
    room_id: int = 0
    room_title: str = ""
    room_missing: bool = False
    members: list[MemberItem] = []
    messages: list[MessageItem] = []
    draft: str = ""
    composer_error: str = ""
    new_room_open: bool = False
    new_room_error: str = ""
    add_member_open: bool = False
    add_member_error: str = ""
    loaded: bool = False
    calendar_needs_relink: bool = False
    calendar_unreadable: str = ""

    async def _session(self) -> SessionState:
        return await self.get_state(SessionState)

    async def _user(self) -> User | None:
        return (await self._session()).current_user()

    def _route_room_id(self) -> int:
        raw = str(self.router.page.params.get("room_id", ""))
        return int(raw) if raw.isdigit() else 0

    async def _reload(self, user: User) -> None:
        session = await self._session()
        zone, clock, now = session.viewer_timezone, session.browser_clock, utcnow()
        with open_session() as db:
            self.rooms = [
                RoomItem(
                    id=r.id,
                    href=routes.room(r.id),
                    title=r.title,
                    initials=display.initials(r.title),
                    preview=display.render_system_body(
                        r.last_message, r.last_event_at, zone, clock
                    ),
                    time=display.list_time(r.last_message_at, zone, clock, now),
                    unread=0 if r.id == self.room_id else r.unread,
                )
                for r in rooms.list_rooms(db, user.id)
            ]
            if self.room_id:
                self._load_room(db, user, zone, clock, now)
            # Read on every refresh: a sync that fails (or recovers) marks the user's
            # topic, so the banner appears and goes live.
            health = calendar_choices.calendar_health(db, user.id)
            self.calendar_needs_relink = health.needs_relink
            self.calendar_unreadable = ", ".join(health.unreadable)
        if self.room_id and self.messages:
            # A short transaction of its own, after the reads above.
            with open_session() as db:
                rooms.mark_read(db, self.room_id, user.id, self.messages[-1].id)
        topics = {user_topic(user.id)}
        if self.room_id and not self.room_missing:
            topics.add(room_topic(self.room_id))
        hub.watch(self.router.session.client_token, RoomsState, topics)
        self.loaded = True

    def _load_room(self, db, user: User, zone: str, clock: str, now) -> None:
        try:
            history = rooms.messages(db, self.room_id, user.id)
        except NotFound:
            self._forget_room()
            return
        people = rooms.members(db, self.room_id)
        room = rooms.require_member(db, self.room_id, user.id)
        self.room_missing = False
        self.room_title = rooms.room_title(room, people, user.id)
        self.members = [MemberItem(p.name, display.initials(p.name), p.email) for p in people]
        self.messages = [
            MessageItem(
                id=m.id,
                kind=m.kind,
                author=m.author_name,
                initials=display.initials(m.author_name),
                mine=m.author_id == user.id and m.kind == MessageKind.TEXT,
                body=display.render_system_body(m.body, m.event_at, zone, clock),
                time=display.message_time(m.created_at, zone, clock, now),
                ref_id=m.ref_id or 0,
                card=cards.card_for(db, m, user.id, zone, clock, now),
            )
            for m in history
        ]

    def _forget_room(self) -> None:
        # Nothing of a room the viewer may not see stays in their state.
        self.room_missing = True
        self.room_title = ""
        self.members = []
        self.messages = []

    @rx.event
    async def load_page(self):
        """On-load of the rooms pages: check sign-in, read the browser clock, load data."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.room_id = self._route_room_id()
        self.room_missing = False
        self.draft = self.composer_error = ""
        await self._reload(user)
        return rx.call_script(BROWSER_CLOCK_SCRIPT, callback=RoomsState.on_browser_clock)

    @rx.event
    async def on_browser_clock(self, reading: str):
        """Show times in the browser's zone and clock once they are known."""
        changed = (await self._session()).remember_browser_clock(reading)
        if changed and (user := await self._user()) is not None:
            await self._reload(user)

    async def on_live_change(self, topics: frozenset[str]) -> None:
        """Re-read what another tab or user changed (called by the realtime hub)."""
        if (user := await self._user()) is not None:
            await self._reload(user)

    @rx.event
    async def send_message(self, form: dict | None = None):
        """Send the composer's text to the open room."""
        body = (form or {}).get("draft", self.draft)
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            with open_session() as db:
                rooms.post_text(db, self.room_id, user, body)
        except ServiceError as error:
            self.composer_error = error.message
            return None
        self.draft = self.composer_error = ""
        await self._reload(user)
        return None

    @rx.event
    def set_draft(self, value: str):
        """Keep the composer's text."""
        self.draft = value
        self.composer_error = ""

    @rx.event
    def toggle_new_room(self, open_: bool):
        """Open or close the "New conversation" dialog."""
        self.new_room_open = open_
        self.new_room_error = ""

    @rx.event
    async def create_room(self, form: dict):
        """Start a room with the people whose emails were entered."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        emails = [e for e in str(form.get("emails", "")).replace(";", ",").split(",") if e.strip()]
        try:
            with open_session() as db:
                room = rooms.create_room(db, user, name=form.get("name", ""), emails=emails)
        except ServiceError as error:
            self.new_room_error = error.message
            return None
        self.new_room_open = False
        return rx.redirect(routes.room(room.id))

    @rx.event
    def toggle_add_member(self, open_: bool):
        """Open or close the "Add people" dialog."""
        self.add_member_open = open_
        self.add_member_error = ""

    @rx.event
    async def add_member(self, form: dict):
        """Add the account behind the entered email to the open room."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            with open_session() as db:
                rooms.add_member(db, self.room_id, user, str(form.get("email", "")))
        except ServiceError as error:
            self.add_member_error = error.message
            return None
        self.add_member_open = False
        await self._reload(user)
        return None

    @rx.event
    async def leave_room(self):
        """Leave the open room and go back to the list."""
        user = await self._user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            with open_session() as db:
                rooms.leave_room(db, self.room_id, user)
        except NotFound:
            pass
        self._forget_room()
        return rx.redirect(routes.ROOMS)
