"""Parsers for the primitive values of a request; each names its field when it refuses."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from meetapp.scheduling.errors import InvalidRequest

# An instant as whole seconds since the Unix epoch; candidates are whole minutes, so busy
# times are widened to whole seconds (start floored, end ceiled) without changing any answer.
Span = tuple[int, int]

MINUTES_PER_DAY = 24 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WALL_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Present in a zoneinfo directory but describing the machine, not a place: never accepted.
_MACHINE_ZONES = frozenset({"localtime", "posixrules"})


def parse_int(raw: object, field: str, minimum: int, maximum: int | None = None) -> int:
    """Returns ``raw`` if it is an integer (not a bool) within the inclusive bounds."""
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidRequest(field, "must be an integer")
    if raw < minimum or (maximum is not None and raw > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise InvalidRequest(field, f"must be {bounds}")
    return raw


def parse_zone(raw: object, field: str) -> ZoneInfo:
    """Returns the IANA time zone named by ``raw``."""
    if not isinstance(raw, str) or not raw or raw in _MACHINE_ZONES:
        raise InvalidRequest(field, f"unknown time zone {raw!r}")
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidRequest(field, f"unknown time zone {raw!r}") from None


def parse_wall_time(raw: object, field: str, *, is_end: bool) -> int:
    """Returns minutes after local midnight for an ``"HH:MM"`` wall time.

    ``"24:00"`` (the midnight that starts the next date) is accepted only as a window end.
    """
    if not isinstance(raw, str) or not _WALL_TIME.fullmatch(raw) or (raw == "24:00" and not is_end):
        allowed = "00:00..24:00" if is_end else "00:00..23:59"
        raise InvalidRequest(field, f"malformed time {raw!r}, expected HH:MM in {allowed}")
    hours, minutes = raw.split(":")
    return int(hours) * 60 + int(minutes)


def parse_date(raw: object, field: str) -> date:
    """Returns the calendar date written as ``"YYYY-MM-DD"``."""
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise InvalidRequest(field, f"malformed date {raw!r}, expected YYYY-MM-DD")


def parse_instant(raw: object, field: str) -> datetime:
    """Returns the aware UTC datetime of an ISO 8601 string that carries an offset or ``Z``.

    A naive datetime would have to be guessed into some zone, so it is refused.
    """
    if not isinstance(raw, str):
        raise InvalidRequest(field, "must be an ISO 8601 datetime string")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(field, f"malformed datetime {raw!r}") from None
    if moment.utcoffset() is None:
        raise InvalidRequest(field, f"datetime {raw!r} needs a UTC offset or 'Z'")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidRequest(field, f"datetime {raw!r} is out of range") from None


def epoch_seconds(moment: datetime, *, round_up: bool = False) -> int:
    """Returns whole seconds since the epoch, exactly (no float rounding)."""
    elapsed = moment - _EPOCH
    whole = elapsed.days * 86400 + elapsed.seconds
    return whole + 1 if round_up and elapsed.microseconds else whole


def parse_spans(raw: object, field: str) -> tuple[Span, ...]:
    """Returns the ``[{"start", "end"}, ...]`` intervals as epoch-second spans, in input order.

    Busy lists run to thousands of entries, so well-formed entries take a tight path; any
    entry that fails it is re-checked by ``_explain_bad_span`` to name the exact field.
    """
    if not isinstance(raw, list):
        raise InvalidRequest(field, "must be a list of {start, end} objects")
    spans = []
    parse = datetime.fromisoformat
    for index, item in enumerate(raw):
        try:
            start, end = parse(item["start"]), parse(item["end"])
            well_formed = (
                isinstance(item, dict)
                and len(item) == 2
                and start.tzinfo is not None
                and end.tzinfo is not None
                and end > start
            )
        except (TypeError, KeyError, ValueError, OverflowError):
            well_formed = False
        if not well_formed:
            _explain_bad_span(item, f"{field}[{index}]")
        spans.append((epoch_seconds(start), epoch_seconds(end, round_up=True)))
    return tuple(spans)


def _explain_bad_span(item: object, where: str) -> None:
    """Raises the error that names what is wrong with a malformed span."""
    if not isinstance(item, dict) or set(item) != {"start", "end"}:
        raise InvalidRequest(where, "must be an object with exactly 'start' and 'end'")
    start = parse_instant(item["start"], f"{where}.start")
    end = parse_instant(item["end"], f"{where}.end")
    if end <= start:
        raise InvalidRequest(f"{where}.end", "must be after start")
    raise InvalidRequest(where, "is out of the supported range")
