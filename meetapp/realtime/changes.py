"""Record which topics a transaction changed and publish them after commit.

A topic is "room:<id>" (its messages changed) or "user:<id>" (their list of
rooms changed). Publishing only after commit means a tab never re-reads data
that a rolled-back transaction never wrote.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from meetapp.config import get_settings

logger = logging.getLogger(__name__)

CHANNEL = "meetapp:changes"
_PENDING_KEY = "meetapp.changed_topics"

Listener = Callable[[frozenset[str]], None]
_local_listeners: list[Listener] = []


def room_topic(room_id: int) -> str:
    """Topic of a room's message history."""
    return f"room:{room_id}"


def user_topic(user_id: int) -> str:
    """Topic of a user's room list."""
    return f"user:{user_id}"


def mark_changed(db: OrmSession, topics: Iterable[str]) -> None:
    """Remember that this transaction changed `topics`.

    Args:
        db: The session whose commit will publish them.
        topics: Topic names (see `room_topic`, `user_topic`).
    """
    db.info.setdefault(_PENDING_KEY, set()).update(topics)


def add_local_listener(listener: Listener) -> None:
    """Call `listener` in this process for every published batch of topics."""
    _local_listeners.append(listener)


def deliver_locally(topics: frozenset[str]) -> None:
    """Hand a batch of topics to this process's listeners.

    Args:
        topics: The changed topics.
    """
    for listener in _local_listeners:
        try:
            listener(topics)
        except Exception:  # one broken listener must not stop the others
            logger.exception("realtime listener failed")


@lru_cache(maxsize=1)
def _redis_client():
    import redis

    return redis.Redis.from_url(get_settings().redis_url)


def publish(topics: frozenset[str]) -> None:
    """Publish topics to every worker (Redis) or to this process (no Redis).

    Args:
        topics: The changed topics.
    """
    if get_settings().redis_url:
        try:
            _redis_client().publish(CHANNEL, json.dumps(sorted(topics)))
            return
        except Exception:
            # Degrade to this worker rather than losing the update for everyone.
            logger.exception("publishing to Redis failed; delivering locally only")
    deliver_locally(topics)


@sa.event.listens_for(OrmSession, "after_commit")
def _publish_after_commit(session: OrmSession) -> None:
    topics = session.info.pop(_PENDING_KEY, None)
    if topics:
        publish(frozenset(topics))


@sa.event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_PENDING_KEY, None)
