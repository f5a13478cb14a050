"""Human-readable meeting times in a reader's own time zone.

Names are spelled out here instead of using ``strftime("%a")`` because that follows the
server's locale, and the app's text is English wherever it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Style = Literal["short", "long"]
RANGE_DASH = "\u2013"  # en dash, the typographic range separator

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def to_zone(moment: datetime, tz_name: str) -> datetime:
    """Convert an aware datetime to the IANA zone ``tz_name``.

    Args:
        moment: An aware datetime.
        tz_name: IANA zone name, e.g. ``Europe/Lisbon``.

    Returns:
        The same instant in that zone.

    Raises:
        ValueError: If ``moment`` is naive.
        zoneinfo.ZoneInfoNotFoundError: If the zone is unknown.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got {moment!r}")
    return moment.astimezone(ZoneInfo(tz_name))


def zone_abbreviation(local: datetime) -> str:
    """The zone's short name at that instant, e.g. ``WET``, ``PDT`` or ``UTC+05:30``.

    Zones without a letter abbreviation report a bare offset (``+0545``); that is
    rewritten as ``UTC+05:45`` so a reader knows what the number means.

    Args:
        local: An aware datetime in the zone of interest.

    Returns:
        The abbreviation.
    """
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def _date(local: datetime, style: Style, year: bool) -> str:
    weekday, month = _WEEKDAYS[local.weekday()], _MONTHS[local.month - 1]
    suffix = f" {local.year}" if year else ""
    if style == "long":
        return f"{weekday}, {local.day} {month}{suffix}"
    return f"{weekday[:3]} {local.day} {month[:3]}{suffix}"


def format_when(
    moment: datetime, tz_name: str, *, style: Style = "short", year: bool = True
) -> str:
    """Format one instant for a reader in ``tz_name``.

    Args:
        moment: An aware datetime.
        tz_name: The reader's IANA zone.
        style: ``short`` ("Tue 3 Mar 2026, 15:00 WET") or ``long``
            ("Tuesday, 3 March 2026, 15:00 WET").
        year: Whether to show the year.

    Returns:
        The formatted text.
    """
    local = to_zone(moment, tz_name)
    return f"{_date(local, style, year)}, {local:%H:%M} {zone_abbreviation(local)}"


def format_range(
    start: datetime, end: datetime, tz_name: str, *, style: Style = "short", year: bool = True
) -> str:
    """Format a meeting's time range for a reader in ``tz_name``.

    Examples (Europe/Lisbon, the dash is an en dash): ``Tue 3 Mar 2026, 15:00 - 15:30 WET``;
    across midnight ``Tue 3 Mar 2026, 23:30 - Wed 4 Mar 2026, 00:15 WET``; across a DST
    switch ``Sun 29 Mar 2026, 00:30 WET - 02:30 WEST``.

    Args:
        start: Aware start.
        end: Aware end.
        tz_name: The reader's IANA zone.
        style: ``short`` or ``long`` date wording, as in :func:`format_when`.
        year: Whether to show the year.

    Returns:
        The formatted text.
    """
    local_start, local_end = to_zone(start, tz_name), to_zone(end, tz_name)
    start_zone, end_zone = zone_abbreviation(local_start), zone_abbreviation(local_end)
    head = f"{_date(local_start, style, year)}, {local_start:%H:%M}"
    tail = f"{local_end:%H:%M} {end_zone}"
    if local_end.date() != local_start.date():
        tail = f"{_date(local_end, style, year)}, {tail}"
    if start_zone != end_zone:
        head = f"{head} {start_zone}"
    return f"{head} {RANGE_DASH} {tail}"
