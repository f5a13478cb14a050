"""A host's availability rules: validating them, keeping them, and sharing them as an invite.

The rules belong to the user (the last saved ones are the default in any room); an invite
keeps a JSON snapshot, so later edits only affect new invites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import pairwise

from sqlmodel import Session, select

from meetapp.models import Availability, Invite, MessageKind, User
from meetapp.services.auth import known_timezones
from meetapp.services.errors import InvalidInput
from meetapp.services.rooms import post_card, require_member

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DURATIONS = (15, 30, 45, 60)
MAX_NOTE = 1000
MAX_BUFFER_MINUTES = 240
MAX_NOTICE_MINUTES = 30 * 24 * 60
MAX_HORIZON_DAYS = 365
MAX_DAILY_LIMIT = 50
GRANULARITY = 15
_WALL_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00", re.ASCII)


@dataclass(frozen=True)
class Range:
    """A range of wall-clock time, "HH:MM" in 15-minute steps; `end` may be "24:00"."""

    start: str
    end: str


@dataclass(frozen=True)
class AvailabilityRules:
    """When a host can meet, and the booking settings of their invites.

    Attributes:
        timezone: IANA zone the ranges are read in.
        weekly: Ranges per weekday key ("mon".."sun"); missing or empty = unavailable.
        overrides: "YYYY-MM-DD" -> ranges replacing that date's weekly ones; () = blocked.
        duration_minutes: 15, 30, 45 or 60.
        buffer_before_minutes: Free time needed before a meeting.
        buffer_after_minutes: Free time needed after a meeting.
        min_notice_minutes: How soon from now the first slot may start.
        horizon_days: How many days ahead people may book.
        daily_limit: Most meetings per host-local day, or None.
        note: The invite's message (context for the meeting).
        step_minutes: Distance between offered start times (added to the interface).
    """

    timezone: str
    weekly: dict[str, tuple[Range, ...]] = field(default_factory=dict)
    overrides: dict[str, tuple[Range, ...]] = field(default_factory=dict)
    duration_minutes: int = 30
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    min_notice_minutes: int = 240
    horizon_days: int = 30
    daily_limit: int | None = None
    note: str = ""
    step_minutes: int = GRANULARITY

    def to_json(self) -> dict:
        """The rules as JSON-ready data (ranges as ["HH:MM", "HH:MM"] pairs)."""

        def pairs(ranges: tuple[Range, ...]) -> list[list[str]]:
            return [[r.start, r.end] for r in ranges]

        return {
            "timezone": self.timezone,
            "weekly": {day: pairs(self.weekly.get(day, ())) for day in WEEKDAYS},
            "overrides": {day: pairs(ranges) for day, ranges in sorted(self.overrides.items())},
            "duration_minutes": self.duration_minutes,
            "buffer_before_minutes": self.buffer_before_minutes,
            "buffer_after_minutes": self.buffer_after_minutes,
            "min_notice_minutes": self.min_notice_minutes,
            "horizon_days": self.horizon_days,
            "daily_limit": self.daily_limit,
            "note": self.note,
            "step_minutes": self.step_minutes,
        }

    @classmethod
    def from_json(cls, data: dict) -> AvailabilityRules:
        """Read rules written by `to_json`; missing settings take their defaults."""

        def ranges(raw: list) -> tuple[Range, ...]:
            return tuple(Range(str(start), str(end)) for start, end in raw)

        defaults = cls(timezone="UTC")
        settings = {
            name: data.get(name, getattr(defaults, name))
            for name in (
                "duration_minutes",
                "buffer_before_minutes",
                "buffer_after_minutes",
                "min_notice_minutes",
                "horizon_days",
                "daily_limit",
                "note",
                "step_minutes",
            )
        }
        return cls(
            timezone=data.get("timezone", "UTC"),
            weekly={day: ranges(r) for day, r in data.get("weekly", {}).items() if r},
            overrides={day: ranges(r) for day, r in data.get("overrides", {}).items()},
            **settings,
        )


def default_rules(timezone: str) -> AvailabilityRules:
    """Monday to Friday, 09:00-17:00 in `timezone`, 30-minute meetings."""
    office_hours = (Range("09:00", "17:00"),)
    return AvailabilityRules(timezone=timezone, weekly={day: office_hours for day in WEEKDAYS[:5]})


def saved_rules(db: Session, user_id: int, fallback_timezone: str) -> AvailabilityRules:
    """The user's last saved rules, or the defaults in `fallback_timezone`."""
    row = db.exec(select(Availability).where(Availability.user_id == user_id)).first()
    if row is None:
        return default_rules(fallback_timezone)
    return AvailabilityRules.from_json(row.rules)


def _minutes(text: str) -> int | None:
    if not isinstance(text, str) or not _WALL_TIME.fullmatch(text):
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _ranges_error(ranges: tuple[Range, ...]) -> str | None:
    spans = []
    for item in ranges:
        start, end = _minutes(item.start), _minutes(item.end)
        if start is None or end is None or item.start == "24:00":
            return "Use HH:MM times"
        if start % GRANULARITY or end % GRANULARITY:
            return "Use 15-minute steps"
        if end <= start:
            return "End must be after start"
        spans.append((start, end))
    spans.sort()
    if any(later[0] < earlier[1] for earlier, later in pairwise(spans)):
        return "Ranges overlap"
    return None


def _between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def row_errors(rules: AvailabilityRules) -> dict[str, str]:
    """Every problem of the rules, keyed by the row the UI shows it beside.

    Pure, so the wizard can call it on every edit. Keys are "timezone", "mon".."sun",
    "YYYY-MM-DD" (an override), "weekly" (nothing available at all) and setting names.

    Returns:
        Row key -> message; empty when the rules are valid.
    """
    errors: dict[str, str] = {}
    if rules.timezone not in known_timezones():
        errors["timezone"] = "Choose a time zone from the list"
    for day, ranges in rules.weekly.items():
        problem = "Unknown weekday" if day not in WEEKDAYS else _ranges_error(ranges)
        if problem:
            errors[day] = problem
    for day, ranges in rules.overrides.items():
        try:
            date.fromisoformat(day)
            problem = _ranges_error(ranges) if len(day) == 10 else "Use a YYYY-MM-DD date"
        except (TypeError, ValueError):
            problem = "Use a YYYY-MM-DD date"
        if problem:
            errors[day] = problem
    if not any(rules.weekly.values()) and not any(rules.overrides.values()):
        errors["weekly"] = "Choose at least one time when you are available"
    if rules.duration_minutes not in DURATIONS:
        errors["duration_minutes"] = "Choose 15, 30, 45 or 60 minutes"
    if not _between(rules.step_minutes, 5, 60) or rules.step_minutes % 5:
        errors["step_minutes"] = "Use 5 to 60 minutes, in steps of 5"
    for name in ("buffer_before_minutes", "buffer_after_minutes"):
        if not _between(getattr(rules, name), 0, MAX_BUFFER_MINUTES):
            errors[name] = f"Use 0 to {MAX_BUFFER_MINUTES} minutes"
    if not _between(rules.min_notice_minutes, 0, MAX_NOTICE_MINUTES):
        errors["min_notice_minutes"] = "Use at most 30 days of notice"
    if not _between(rules.horizon_days, 1, MAX_HORIZON_DAYS):
        errors["horizon_days"] = f"Use 1 to {MAX_HORIZON_DAYS} days"
    if rules.daily_limit is not None and not _between(rules.daily_limit, 1, MAX_DAILY_LIMIT):
        errors["daily_limit"] = f"Use 1 to {MAX_DAILY_LIMIT} meetings, or no limit"
    if len(rules.note) > MAX_NOTE:
        errors["note"] = "Keep the message under 1,000 characters"
    return errors


def save_rules(db: Session, user_id: int, rules: AvailabilityRules, now: datetime) -> None:
    """Store `rules` as the user's default for future invites (in any room).

    Raises:
        InvalidInput: Naming the first invalid row.
    """
    _raise_first(row_errors(rules))
    row = db.exec(select(Availability).where(Availability.user_id == user_id)).first()
    row = row or Availability(user_id=user_id)
    # The note is the invite's own context, not part of the reusable default.
    row.rules = replace(rules, note="").to_json()
    row.updated_at = now
    db.add(row)
    db.flush()


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        key, message = next(iter(errors.items()))
        raise InvalidInput(key, message)


def share_availability(
    db: Session, room_id: int, host: User, rules: AvailabilityRules, now: datetime
) -> Invite:
    """Post an invite card with a snapshot of `rules`, and keep them as the host's default.

    Args:
        db: Database session.
        room_id: The room to post the invite in.
        host: The member sharing their availability.
        rules: The rules, note and booking settings of this invite.
        now: The current time (aware UTC).

    Returns:
        The new invite.

    Raises:
        NotFound: The host is not a member of the room.
        InvalidInput: Naming the first invalid field.
    """
    require_member(db, room_id, host.id)
    rules = replace(rules, note=rules.note.strip())
    save_rules(db, host.id, rules, now)
    invite = Invite(
        room_id=room_id,
        host_id=host.id,
        rules=rules.to_json(),
        duration_minutes=rules.duration_minutes,
        note=rules.note,
        created_at=now,
    )
    db.add(invite)
    db.flush()
    post_card(db, room_id, host.id, MessageKind.INVITE, invite.id)
    return invite
