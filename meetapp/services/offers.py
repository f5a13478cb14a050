"""Which start times a host offers right now, and the checks a booking must pass.

Shared by offering slots (the picker) and by booking inside the write transaction, so
the two can never disagree about what is bookable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from meetapp.models import Invite, Meeting, MeetingParticipant, MeetingStatus
from meetapp.scheduling import InvalidRequest, find_slots
from meetapp.services.busy import external_busy
from meetapp.services.errors import Conflict, InvalidInput, NotFound
from meetapp.services.rooms import require_member

SLOT_TAKEN = "That time was just taken, please pick another"
NOT_OFFERED = "That time is not offered; please pick one of the listed times"
_ENGINE_FIELDS = (
    "timezone",
    "weekly",
    "overrides",
    "duration_minutes",
    "step_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "horizon_days",
    "daily_limit",
)
# Any constant works: it only namespaces our advisory locks from other users of the database.
_HOST_LOCK_NAMESPACE = 7361

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class SlotTime:
    """One offered start: "HH:MM" in the viewer's zone, and the instant ("...Z")."""

    label: str
    start: str


@dataclass(frozen=True)
class SlotDay:
    """A viewer-local date ("YYYY-MM-DD") with its offered starts, earliest first."""

    date: str
    times: tuple[SlotTime, ...]


def slot_days(slots: list[dict], viewer_timezone: str) -> list[SlotDay]:
    """Group the engine's UTC slots by the viewer's local date."""
    zone = ZoneInfo(viewer_timezone)
    days: dict[str, list[SlotTime]] = {}
    for slot in slots:
        local = datetime.fromisoformat(slot["start"]).astimezone(zone)
        days.setdefault(local.date().isoformat(), []).append(
            SlotTime(label=f"{local:%H:%M}", start=slot["start"])
        )
    return [SlotDay(date=day, times=tuple(times)) for day, times in days.items()]


def utc_text(moment: datetime) -> str:
    """An instant as the engine writes it: "2026-03-03T15:00:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def require_aware(moment: datetime, field: str) -> datetime:
    """`moment` in UTC, refusing a naive datetime (its zone would be a guess)."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise InvalidInput(field, "Give the time with its time zone")
    return moment.astimezone(UTC)


def lock_host(db: Session, host_id: int) -> None:
    """Serialize booking writes for one host on PostgreSQL (SQLite serializes all writes).

    The exclusion constraint alone stops overlaps, but buffers and daily limits are only
    checked in code, so two bookings for one host must not check at the same time.
    """
    if db.get_bind().dialect.name == "postgresql":
        db.exec(sa.select(sa.func.pg_advisory_xact_lock(_HOST_LOCK_NAMESPACE, host_id))).one()


def host_schedule(
    db: Session, host_id: int, start: datetime, end: datetime, exclude_meeting_id: int | None
) -> tuple[list[Span], list[Span]]:
    """The host's busy time in [start, end): (busy, bookings).

    Bookings are the live meetings the host hosts, in every room (they count toward the
    daily limit); busy is their linked calendars plus meetings they only attend.
    """
    attending = select(MeetingParticipant.meeting_id).where(MeetingParticipant.user_id == host_id)
    query = select(Meeting).where(
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.start) < end,
        col(Meeting.end) > start,
        or_(Meeting.host_id == host_id, col(Meeting.id).in_(attending)),
    )
    if exclude_meeting_id is not None:
        query = query.where(Meeting.id != exclude_meeting_id)
    busy = external_busy(db, host_id, start, end)
    bookings = []
    for meeting in db.exec(query):
        span = (meeting.start, meeting.end)
        (bookings if meeting.host_id == host_id else busy).append(span)
    return busy, bookings


def _spans(spans: list[Span]) -> list[dict]:
    return [{"start": s.isoformat(), "end": e.isoformat()} for s, e in spans]


def engine_slots(
    db: Session,
    rules: dict,
    host_id: int,
    now: datetime,
    viewer_timezone: str,
    exclude_meeting_id: int | None = None,
    *,
    ignore_schedule: bool = False,
) -> dict:
    """Ask the engine for the slots of an invite's rules (see `find_slots` for the shape).

    Args:
        db: Database session.
        rules: The invite's rules snapshot (`AvailabilityRules.to_json()`).
        host_id: The host.
        now: The current time.
        viewer_timezone: Zone the `days` of the answer are written in.
        exclude_meeting_id: A meeting being rescheduled, whose time counts as free.
        ignore_schedule: Leave out busy time, meetings and the daily limit (to tell a
            taken slot from one that was never offered).

    Raises:
        InvalidInput: The viewer's zone is unknown.
    """
    request = {name: rules[name] for name in _ENGINE_FIELDS if name in rules}
    request["now"] = now.astimezone(UTC).isoformat()
    request["viewer_timezone"] = viewer_timezone
    if ignore_schedule:
        request["daily_limit"] = None
    else:
        horizon = timedelta(days=int(rules.get("horizon_days", 30)) + 2)
        busy, bookings = host_schedule(
            db, host_id, now - timedelta(days=2), now + horizon, exclude_meeting_id
        )
        request["busy"], request["bookings"] = _spans(busy), _spans(bookings)
    try:
        return find_slots(request)
    except InvalidRequest as error:
        if str(error).startswith("viewer_timezone"):
            raise InvalidInput("timezone", "Unknown time zone") from None
        raise


def check_offered(
    db: Session,
    rules: dict,
    host_id: int,
    start: datetime,
    now: datetime,
    exclude_meeting_id: int | None = None,
) -> None:
    """Refuse a start the invite does not offer right now.

    Raises:
        Conflict: The time is on offer in general but taken (busy, booked, day full).
        InvalidInput: The time was never offered (past, too soon, beyond the horizon,
            outside the windows, off the grid).
    """
    wanted = utc_text(start)
    if start.microsecond == 0:
        offered = engine_slots(db, rules, host_id, now, "UTC", exclude_meeting_id)
        if any(slot["start"] == wanted for slot in offered["slots"]):
            return
        structural = engine_slots(db, rules, host_id, now, "UTC", ignore_schedule=True)
        if any(slot["start"] == wanted for slot in structural["slots"]):
            raise Conflict(SLOT_TAKEN)
    raise InvalidInput("start", NOT_OFFERED)


def clashes(
    db: Session, rules: dict, host_id: int, start: datetime, end: datetime, exclude: int | None
) -> bool:
    """Whether [start, end) overlaps the host's busy time or meetings, buffers included."""
    before = timedelta(minutes=int(rules.get("buffer_before_minutes", 0)))
    after = timedelta(minutes=int(rules.get("buffer_after_minutes", 0)))
    busy, bookings = host_schedule(db, host_id, start - before, end + after, exclude)
    return bool(busy or bookings)


def member_invite(db: Session, invite_id: int, user_id: int) -> Invite:
    """The invite, if `user_id` belongs to its room.

    Raises:
        NotFound: No such invite, or the user may not know of it.
    """
    invite = db.get(Invite, invite_id)
    if invite is None:
        raise NotFound("Invitation not found")
    require_member(db, invite.room_id, user_id)
    return invite


def booked_meeting_id(db: Session, invite_id: int) -> int | None:
    """The meeting booked from an invite (an invite books one meeting), if any."""
    return db.exec(
        select(Meeting.id).where(Meeting.invite_id == invite_id).order_by(col(Meeting.id).desc())
    ).first()
