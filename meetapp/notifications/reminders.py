"""Which meeting reminders are due: a pure decision, the job that sends them lives elsewhere.

The rule, for each meeting and each configured offset ``o`` (e.g. 24 h and 15 min):

* The reminder's window is ``[start - o, start - o_next)``, where ``o_next`` is the next
  smaller configured offset, or 0 for the smallest (so the last window ends at ``start``).
  Windows end where the next one begins so that, after the job was down for a while,
  only the reminder that still makes sense goes out ("in 10 minutes"), not a stale
  "tomorrow" one next to it. A reminder that was never sent in its window is skipped.
* It is due when ``now`` is inside that window and ``(meeting_id, o)`` is not in ``sent``.
* If the meeting's time was set (booked or rescheduled) after ``start - o``, that reminder
  is skipped: the booking confirmation already told everyone, so a meeting booked 5 hours
  ahead gets no 24 h reminder (its 15 min one still goes out), and one booked 10 minutes
  ahead gets neither. Without a ``booked_at`` the meeting counts as booked long ago.

The caller stores every returned pair in ``sent``; when a meeting is rescheduled it must
forget that meeting's pairs and pass the reschedule time as ``booked_at``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime, timedelta

DEFAULT_OFFSETS = (timedelta(hours=24), timedelta(minutes=15))

Reminder = tuple[Hashable, timedelta]
Candidate = tuple[Hashable, datetime] | tuple[Hashable, datetime, datetime | None]


def due_reminders(
    meetings: Iterable[Candidate],
    sent: set[Reminder],
    now: datetime,
    offsets: Sequence[timedelta] = DEFAULT_OFFSETS,
) -> list[Reminder]:
    """List the reminders to send now (see the module docstring for the exact rule).

    Args:
        meetings: ``(meeting_id, start)`` or ``(meeting_id, start, booked_at)`` with aware
            datetimes; ``booked_at`` is when the current start time was chosen.
        sent: ``(meeting_id, offset)`` pairs already sent.
        now: The current time, aware.
        offsets: How long before the start to remind; positive, any order.

    Returns:
        ``(meeting_id, offset)`` pairs, meetings in input order, larger offsets first.

    Raises:
        ValueError: If an offset is not positive.
    """
    ordered = sorted(set(offsets), reverse=True)
    if any(offset <= timedelta(0) for offset in ordered):
        raise ValueError("reminder offsets must be positive")
    window_ends = [*ordered[1:], timedelta(0)]
    due: list[Reminder] = []
    for meeting_id, start, *rest in meetings:
        booked_at = rest[0] if rest else None
        for offset, window_end in zip(ordered, window_ends, strict=True):
            remind_at = start - offset
            if not remind_at <= now < start - window_end:
                continue
            if booked_at is not None and booked_at > remind_at:
                continue
            if (meeting_id, offset) not in sent:
                due.append((meeting_id, offset))
    return due
