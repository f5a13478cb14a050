"""What the "Manage calendars" page reads and changes: accounts, calendars, choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from meetapp.calendars.base import RemoteCalendar
from meetapp.models import CalendarConnection, LinkedCalendar
from meetapp.services.calendar_accounts import ACTIVE, NEEDS_RELINK, Provider
from meetapp.services.calendar_sync import forget_busy
from meetapp.services.errors import InvalidInput, NotFound

PROVIDER_LABELS = {
    Provider.GOOGLE: "Google",
    Provider.MICROSOFT: "Microsoft",
    Provider.CALDAV: "CalDAV",
}
# The video service each provider adds to events it creates (CalDAV has none).
VIDEO_SERVICES = {Provider.GOOGLE: "Google Meet", Provider.MICROSOFT: "Teams"}


@dataclass(frozen=True)
class CalendarView:
    """One calendar as the settings page shows it."""

    id: int
    name: str
    is_primary: bool
    can_write: bool
    check_conflicts: bool
    receives_meetings: bool


@dataclass(frozen=True)
class ConnectionView:
    """A linked account as the settings page shows it: display data, never a secret."""

    id: int
    provider: str
    provider_label: str
    account_email: str
    needs_relink: bool
    status_detail: str
    last_synced_at: datetime | None
    last_sync_error: str
    calendars: list[CalendarView]
    video_service: str
    want_conference: bool
    has_tentative_setting: bool
    tentative_is_busy: bool


def owned_connection(db: Session, user_id: int, connection_id: int) -> CalendarConnection:
    """The user's connection, or ``NotFound`` (also for someone else's)."""
    connection = db.get(CalendarConnection, connection_id)
    if connection is None or connection.user_id != user_id:
        raise NotFound("No such calendar account")
    return connection


def _owned_calendar(db: Session, user_id: int, calendar_id: int) -> LinkedCalendar:
    calendar = db.get(LinkedCalendar, calendar_id)
    if calendar is None:
        raise NotFound("No such calendar")
    owned_connection(db, user_id, calendar.connection_id)
    return calendar


def _user_calendars(db: Session, user_id: int) -> list[LinkedCalendar]:
    return list(
        db.exec(
            select(LinkedCalendar)
            .join(CalendarConnection, col(CalendarConnection.id) == LinkedCalendar.connection_id)
            .where(CalendarConnection.user_id == user_id)
            .order_by(col(LinkedCalendar.connection_id), col(LinkedCalendar.id))
        )
    )


def list_connections(db: Session, user_id: int) -> list[ConnectionView]:
    """The user's linked accounts and their calendars, oldest account first."""
    connections = db.exec(
        select(CalendarConnection)
        .where(CalendarConnection.user_id == user_id)
        .order_by(col(CalendarConnection.id))
    ).all()
    calendars: dict[int, list[CalendarView]] = {c.id: [] for c in connections}
    for cal in _user_calendars(db, user_id):
        calendars[cal.connection_id].append(
            CalendarView(
                cal.id,
                cal.name,
                cal.is_primary,
                cal.can_write,
                cal.check_conflicts,
                cal.receives_meetings,
            )
        )
    return [
        ConnectionView(
            id=c.id,
            provider=c.provider,
            provider_label=PROVIDER_LABELS.get(c.provider, c.provider),
            account_email=c.account_email,
            needs_relink=c.status == NEEDS_RELINK,
            status_detail=c.status_detail,
            last_synced_at=c.last_synced_at,
            last_sync_error=c.last_sync_error,
            calendars=calendars[c.id],
            video_service=VIDEO_SERVICES.get(c.provider, ""),
            want_conference=c.want_conference,
            has_tentative_setting=c.provider == Provider.MICROSOFT,
            tentative_is_busy=c.tentative_is_busy,
        )
        for c in connections
    ]


@dataclass(frozen=True)
class CalendarHealth:
    """What the rooms banner tells a user about their linked accounts.

    Attributes:
        needs_relink: Some account must be linked again before it is read at all.
        unreadable: Accounts whose last sync failed ("Google calendar ana@example.com"); their
            busy times are from the last good sync.
    """

    needs_relink: bool
    unreadable: list[str]


def calendar_health(db: Session, user_id: int) -> CalendarHealth:
    """Read, for the banner, which of the user's accounts are not working."""
    rows = db.exec(
        select(
            CalendarConnection.provider,
            CalendarConnection.account_email,
            CalendarConnection.status,
            CalendarConnection.last_sync_error,
        ).where(CalendarConnection.user_id == user_id)
    ).all()
    return CalendarHealth(
        needs_relink=any(status == NEEDS_RELINK for _, _, status, _ in rows),
        unreadable=[
            f"{PROVIDER_LABELS.get(provider, provider)} calendar {email}"
            for provider, email, status, error in rows
            if status == ACTIVE and error
        ],
    )


def set_default_choices(db: Session, user_id: int, added: list[LinkedCalendar]) -> None:
    """Pick defaults for newly listed calendars.

    Primary and owned calendars are checked for conflicts; the primary receives meetings
    unless the user already chose a calendar for that (linking a second account must not
    silently move where meetings go).
    """
    for cal in added:
        cal.check_conflicts = cal.is_primary or cal.can_write
        db.add(cal)
    if any(c.receives_meetings for c in _user_calendars(db, user_id)):
        return
    writable = [c for c in added if c.can_write]
    target = next((c for c in writable if c.is_primary), writable[0] if writable else None)
    if target is not None:
        target.receives_meetings = True
        db.add(target)


def set_check_conflicts(db: Session, user_id: int, calendar_id: int, checked: bool) -> None:
    """Include or exclude a calendar's events from the user's busy times.

    An unchecked calendar's cache is dropped at once, and its sync token with it, so that
    checking it again starts with a full sync.
    """
    cal = _owned_calendar(db, user_id, calendar_id)
    if cal.check_conflicts == checked:
        return
    cal.check_conflicts = checked
    if not checked:
        forget_busy(db, cal.connection_id, cal.id)
        _needs_full_sync(cal)
    db.add(cal)


def _needs_full_sync(cal: LinkedCalendar) -> None:
    """Make the next read sync the calendar from scratch (stale, no sync token)."""
    cal.sync_token, cal.synced_at = None, None


def set_receives_meetings(db: Session, user_id: int, calendar_id: int) -> None:
    """Make this the user's one calendar that new meetings are written to.

    Raises:
        InvalidInput: The calendar is read-only.
    """
    target = _owned_calendar(db, user_id, calendar_id)
    if not target.can_write:
        raise InvalidInput("calendar", "This calendar is read-only; choose another one.")
    for cal in _user_calendars(db, user_id):
        if cal.receives_meetings != (cal.id == target.id):
            cal.receives_meetings = cal.id == target.id
            db.add(cal)


def set_want_conference(db: Session, user_id: int, connection_id: int, wanted: bool) -> None:
    """Ask the account's provider to add its video link to meetings written there.

    Raises:
        NotFound: The connection is not the user's.
        InvalidInput: The provider has no video service (CalDAV).
    """
    connection = owned_connection(db, user_id, connection_id)
    if connection.provider not in VIDEO_SERVICES:
        raise InvalidInput("want_conference", "CalDAV calendars cannot add a video link.")
    connection.want_conference = wanted
    db.add(connection)


def set_tentative_is_busy(db: Session, user_id: int, connection_id: int, busy: bool) -> None:
    """Choose whether events the user answered "Tentative" block their time.

    The cached busy times were classified with the old choice, so every calendar of the
    account is fully synced again on the next read (the old cache serves until then).

    Raises:
        NotFound: The connection is not the user's.
        InvalidInput: The account is not a Microsoft one (only Outlook has this status).
    """
    connection = owned_connection(db, user_id, connection_id)
    if connection.provider != Provider.MICROSOFT:
        raise InvalidInput(
            "tentative_is_busy", "Only Microsoft calendars show events as tentative."
        )
    if connection.tentative_is_busy == busy:
        return
    connection.tentative_is_busy = busy
    db.add(connection)
    for cal in db.exec(select(LinkedCalendar).where(LinkedCalendar.connection_id == connection_id)):
        _needs_full_sync(cal)
        db.add(cal)


def save_connection(
    db: Session,
    user_id: int,
    provider: str,
    account_email: str,
    credentials: str,
    calendars: list[RemoteCalendar],
    connection_id: int | None,
) -> int:
    """Store a freshly linked account, or refresh the one being relinked.

    Linking an account the user already has counts as relinking it, so choices stay.
    """
    connection = None
    if connection_id is not None:
        connection = owned_connection(db, user_id, connection_id)
    elif account_email:
        connection = db.exec(
            select(CalendarConnection).where(
                CalendarConnection.user_id == user_id,
                CalendarConnection.provider == provider,
                CalendarConnection.account_email == account_email,
            )
        ).first()
    if connection is None:
        connection = CalendarConnection(user_id=user_id, provider=provider, credentials="")
    connection.account_email = account_email or connection.account_email
    connection.credentials = credentials
    connection.status, connection.status_detail, connection.last_sync_error = ACTIVE, "", ""
    db.add(connection)
    db.flush()
    known = {
        c.remote_id: c
        for c in db.exec(
            select(LinkedCalendar).where(LinkedCalendar.connection_id == connection.id)
        )
    }
    added = []
    for remote in calendars:
        row = known.pop(remote.id, None) or LinkedCalendar(
            connection_id=connection.id, remote_id=remote.id
        )
        if row.id is None:
            added.append(row)
        row.name, row.is_primary, row.can_write = (
            remote.name[:200],
            remote.is_primary,
            remote.can_write,
        )
        db.add(row)
    for gone in known.values():
        forget_busy(db, connection.id, gone.id)
        db.delete(gone)
    db.flush()
    set_default_choices(db, user_id, added)
    return connection.id
