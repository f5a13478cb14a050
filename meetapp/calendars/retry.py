"""Retry with exponential backoff that honours the provider's Retry-After."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from meetapp.calendars.base import RateLimited, TransientError

T = TypeVar("T")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Read a Retry-After header given as seconds or as an HTTP-date.

    Args:
        value: The header value, or None when absent.
        now: The current time, for HTTP-dates; defaults to the clock.

    Returns:
        Seconds to wait (never negative), or None when absent or unreadable.
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def with_backoff(
    fn: Callable[[], Awaitable[T]],
    attempts: int = 5,
    base_delay: float = 1.0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    max_delay: float = 300.0,
) -> T:
    """Call ``fn`` until it succeeds, retrying rate limits and transient failures.

    A Retry-After from the provider is obeyed as given; otherwise the wait doubles each
    attempt with full jitter, so many workers hitting one limit do not retry in step.

    Args:
        fn: The call to make; called again for each attempt.
        attempts: How many calls at most.
        base_delay: The first backoff step in seconds.
        sleep: The awaitable sleep, injectable so tests do not wait.
        max_delay: The cap on any single wait.

    Returns:
        What ``fn`` returned.

    Raises:
        RateLimited | TransientError: The last error once attempts run out.
    """
    for attempt in range(attempts):
        try:
            return await fn()
        except (RateLimited, TransientError) as exc:
            if attempt == attempts - 1:
                raise
            retry_after = exc.retry_after_seconds if isinstance(exc, RateLimited) else None
            if retry_after is not None:
                delay = retry_after
            else:
                delay = random.uniform(0, base_delay * 2**attempt)
            await sleep(min(delay, max_delay))
    raise ValueError("attempts must be at least 1")
