"""Refresh the browser tabs that watch a changed topic.

Each worker keeps its own registry of the tabs connected to it. A batch of
changed topics reaches every worker (through Redis pub/sub when configured,
else in-process) and each worker refreshes only its own tabs, which is what
lets several backend workers serve one room.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

import reflex as rx

from meetapp.config import get_settings
from meetapp.realtime.changes import CHANNEL, add_local_listener

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watch:
    """What one tab shows: its state class and the topics it depends on."""

    state_cls: type[rx.State]
    topics: frozenset[str]


_watches: dict[str, Watch] = {}
_app: rx.App | None = None


def watch(client_token: str, state_cls: type[rx.State], topics: set[str]) -> None:
    """Refresh `state_cls` of tab `client_token` whenever one of `topics` changes.

    The state class must define `async on_live_change(self, topics: frozenset[str])`.
    Calling again replaces the tab's topics (e.g. when it opens another room).
    """
    _watches[client_token] = Watch(state_cls, frozenset(topics))


def unwatch(client_token: str) -> None:
    """Stop refreshing a tab (e.g. after sign-out)."""
    _watches.pop(client_token, None)


def _connected(client_token: str) -> bool:
    namespace = _app.event_namespace if _app else None
    return namespace is not None and client_token in namespace.token_to_sid


async def _refresh(client_token: str, watched: Watch, topics: frozenset[str]) -> None:
    token = rx.BaseStateToken(ident=client_token, cls=watched.state_cls)
    async with _app.modify_state(token) as root:
        state = await root.get_state(watched.state_cls)
        await state.on_live_change(topics)


async def _dispatch(topics: frozenset[str]) -> None:
    jobs = [
        _refresh(token, watched, topics & watched.topics)
        for token, watched in list(_watches.items())
        if watched.topics & topics and _connected(token)
    ]
    for outcome in await asyncio.gather(*jobs, return_exceptions=True):
        if isinstance(outcome, Exception):
            logger.warning("live refresh failed: %s", outcome)


async def _listen_to_redis(url: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url)
    async with client.pubsub() as pubsub:
        await pubsub.subscribe(CHANNEL)
        async for message in pubsub.listen():
            if message.get("type") == "message":
                await _dispatch(frozenset(json.loads(message["data"])))


async def run_hub(app: rx.App) -> None:
    """Lifespan task: deliver changed topics to this worker's tabs until shutdown."""
    global _app
    _app = app
    loop = asyncio.get_running_loop()

    def _from_any_thread(topics: frozenset[str]) -> None:
        loop.call_soon_threadsafe(lambda: loop.create_task(_dispatch(topics)))

    add_local_listener(_from_any_thread)
    if url := get_settings().redis_url:
        while True:
            try:
                await _listen_to_redis(url)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Redis subscription lost; retrying in 1 s")
                await asyncio.sleep(1)
    else:
        await asyncio.Event().wait()
