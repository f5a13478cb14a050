"""Busy time and bookings, widened by the buffers, as one sorted list of disjoint spans."""

from collections.abc import Iterable

from meetapp.scheduling.fields import Span


def blocked_spans(spans: Iterable[Span], buffer_before: int, buffer_after: int) -> list[Span]:
    """Returns the merged spans in which no slot may overlap.

    A slot [s, e) conflicts with busy [b0, b1) iff b0 < e + buffer_after and
    b1 > s - buffer_before, i.e. iff [s, e) overlaps [b0 - buffer_after, b1 + buffer_before).
    Widening each busy span that way once lets the sweep compare slots against plain spans.
    Touching spans are merged too: a non-empty slot overlaps their union iff it overlaps one.

    Args:
        spans: Busy and booked spans in epoch seconds, in any order.
        buffer_before: Seconds that must be free before a slot.
        buffer_after: Seconds that must be free after a slot.

    Returns:
        Disjoint spans sorted by start.
    """
    merged: list[Span] = []
    for start, end in sorted((start - buffer_after, end + buffer_before) for start, end in spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
