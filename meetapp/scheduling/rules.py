"""Availability rules: weekly windows and per-date overrides, in host wall-clock time."""

from datetime import date
from itertools import pairwise
from typing import NamedTuple

from meetapp.scheduling.errors import InvalidRequest
from meetapp.scheduling.fields import parse_date, parse_wall_time

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WallWindow(NamedTuple):
    """A window of host wall-clock time on some date, in minutes after local midnight."""

    start_minute: int
    end_minute: int  # 1440 means "24:00", the midnight that starts the next date


def parse_weekly(raw: object) -> tuple[tuple[WallWindow, ...], ...]:
    """Parses ``{"mon": [["09:00", "12:00"], ...], ...}``; index 0 of the result is Monday."""
    if not isinstance(raw, dict):
        raise InvalidRequest("weekly", "must be an object keyed by mon..sun")
    for name in raw:
        if name not in WEEKDAY_NAMES:
            raise InvalidRequest(f"weekly.{name}", "unknown weekday, expected one of mon..sun")
    return tuple(_parse_windows(raw.get(name, []), f"weekly.{name}") for name in WEEKDAY_NAMES)


def parse_overrides(raw: object) -> dict[date, tuple[WallWindow, ...]]:
    """Parses ``{"YYYY-MM-DD": [["10:00", "14:00"]], ...}``; ``[]`` makes a date unavailable."""
    if not isinstance(raw, dict):
        raise InvalidRequest("overrides", "must be an object keyed by YYYY-MM-DD")
    return {
        parse_date(day, f"overrides.{day}"): _parse_windows(windows, f"overrides.{day}")
        for day, windows in raw.items()
    }


def _parse_windows(raw: object, field: str) -> tuple[WallWindow, ...]:
    """Parses ``[["HH:MM", "HH:MM"], ...]``; each window non-empty, none overlapping."""
    if not isinstance(raw, list):
        raise InvalidRequest(field, 'must be a list of ["HH:MM", "HH:MM"] pairs')
    indexed = []
    for index, pair in enumerate(raw):
        where = f"{field}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise InvalidRequest(where, 'must be a ["HH:MM", "HH:MM"] pair')
        start = parse_wall_time(pair[0], f"{where}[0]", is_end=False)
        end = parse_wall_time(pair[1], f"{where}[1]", is_end=True)
        if start >= end:
            raise InvalidRequest(where, "start must be before end")
        indexed.append((WallWindow(start, end), where))
    indexed.sort()
    for (earlier, earlier_where), (later, later_where) in pairwise(indexed):
        if later.start_minute < earlier.end_minute:
            raise InvalidRequest(later_where, f"overlaps {earlier_where}")
    return tuple(window for window, _ in indexed)
