"""The JSON response: UTC slots plus the same starts grouped by the viewer's wall clock."""

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_EPOCH_DATE = date(1970, 1, 1)


def render_response(starts: list[int], duration_minutes: int, viewer_zone: ZoneInfo) -> dict:
    """Builds the contract's response from sorted, unique slot starts.

    ``days`` maps each viewer-local date to the viewer-local "HH:MM" of its slots, in the
    order of the actual starts. In a repeated (fall-back) hour two slots can show the same
    "HH:MM" on one date; both are kept because they are distinct instants, and ``slots``
    tells them apart.

    Args:
        starts: Slot starts in epoch seconds, sorted and unique.
        duration_minutes: Length of every slot.
        viewer_zone: Zone in which ``days`` is written.

    Returns:
        ``{"slots": [{"start", "end"}, ...], "days": {"YYYY-MM-DD": ["HH:MM", ...]}}``.
    """
    duration = duration_minutes * 60
    slots = [{"start": _utc_text(start), "end": _utc_text(start + duration)} for start in starts]
    days: dict[str, list[str]] = {}
    for start in starts:
        local = datetime.fromtimestamp(start, viewer_zone)
        days.setdefault(local.date().isoformat(), []).append(f"{local.hour:02d}:{local.minute:02d}")
    return {"slots": slots, "days": dict(sorted(days.items()))}


def _utc_text(epoch: int) -> str:
    day, second_of_day = divmod(epoch, 86400)
    hours, rest = divmod(second_of_day, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{_utc_date_text(day)}T{hours:02d}:{minutes:02d}:{seconds:02d}Z"


@functools.lru_cache(maxsize=1024)
def _utc_date_text(days_since_epoch: int) -> str:
    return (_EPOCH_DATE + timedelta(days=days_since_epoch)).isoformat()
