"""The Reflex app: pages, on-load handlers and lifespan tasks; nothing else."""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette

from meetapp import calendar_routes, routes
from meetapp.api import api
from meetapp.db import check_schema_is_current
from meetapp.pages import auth, calendars, rooms
from meetapp.realtime.hub import run_hub
from meetapp.services.calendar_sync import run_calendar_sync_loop
from meetapp.services.outbox_worker import run_outbox_worker
from meetapp.state.session import SessionState


async def _refuse_unmigrated_database() -> None:
    check_schema_is_current()


def _home() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100dvh")


app = rx.App(
    stylesheets=["/meetapp.css"],
    api_transformer=Starlette(routes=[*api.routes, *calendar_routes.routes]),
)
app.register_lifespan_task(_refuse_unmigrated_database)
app.register_lifespan_task(run_hub)
app.register_lifespan_task(run_outbox_worker)
app.register_lifespan_task(run_calendar_sync_loop)

app.add_page(_home, route=routes.HOME, title="meetapp", on_load=SessionState.require_user_home)
app.add_page(
    auth.sign_in_page,
    route=routes.SIGN_IN,
    title="Sign in · meetapp",
    on_load=SessionState.redirect_if_signed_in,
)
app.add_page(
    auth.sign_up_page,
    route=routes.SIGN_UP,
    title="Create account · meetapp",
    on_load=[SessionState.redirect_if_signed_in, SessionState.read_browser_clock],
)
app.add_page(rooms.rooms_page, route=routes.ROOMS, title="Rooms · meetapp", on_load=rooms.ON_LOAD)
app.add_page(rooms.room_page, route=routes.ROOM, title="Room · meetapp", on_load=rooms.ON_LOAD)
app.add_page(
    calendars.calendars_page,
    route=routes.CALENDARS,
    title="Manage calendars · meetapp",
    on_load=calendars.ON_LOAD,
)
