from datetime import UTC, datetime, timedelta

import pytest

from meetapp.notifications.reminders import due_reminders

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
QUARTER = timedelta(minutes=15)
LONG_AGO = START - timedelta(days=7)


def _due(now, *, booked_at=LONG_AGO, sent=frozenset()):
    return due_reminders([(42, START, booked_at)], set(sent), now)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START - DAY - timedelta(seconds=1), []),
        (START - DAY, [(42, DAY)]),  # the window opens inclusively
        (START - QUARTER - timedelta(seconds=1), [(42, DAY)]),
        (START - QUARTER, [(42, QUARTER)]),  # the 24 h window closes as the 15 min one opens
        (START - timedelta(seconds=1), [(42, QUARTER)]),
        (START, []),  # the meeting has started
        (START + timedelta(minutes=5), []),
    ],
)
def test_windows(now, expected):
    assert _due(now) == expected


def test_already_sent_is_not_repeated():
    assert _due(START - DAY, sent={(42, DAY)}) == []
    assert _due(START - timedelta(minutes=5), sent={(42, DAY)}) == [(42, QUARTER)]
    assert _due(START - timedelta(minutes=5), sent={(42, QUARTER)}) == []


def test_two_tuples_count_as_booked_long_ago():
    assert due_reminders([(42, START)], set(), START - DAY) == [(42, DAY)]


def test_booked_less_than_24h_ahead_skips_the_24h_reminder():
    booked_at = START - timedelta(hours=5)
    assert _due(booked_at, booked_at=booked_at) == []
    assert _due(START - timedelta(hours=1), booked_at=booked_at) == []
    assert _due(START - QUARTER, booked_at=booked_at) == [(42, QUARTER)]


def test_booked_exactly_at_the_reminder_moment_still_gets_it():
    assert _due(START - DAY, booked_at=START - DAY) == [(42, DAY)]


def test_booked_less_than_15min_ahead_gets_no_reminder():
    booked_at = START - timedelta(minutes=10)
    assert _due(booked_at, booked_at=booked_at) == []
    assert _due(START - timedelta(minutes=1), booked_at=booked_at) == []


def test_missed_window_after_downtime_only_sends_the_current_one():
    # The job was down from 25 h to 10 min before the start: "tomorrow" is stale now.
    assert _due(START - timedelta(minutes=10)) == [(42, QUARTER)]


def test_many_meetings_keep_input_order_and_larger_offsets_first():
    meetings = [
        ("b", START + timedelta(hours=20)),  # inside its 24 h window
        ("a", START + timedelta(minutes=10)),  # inside its 15 min window
        ("c", START + timedelta(days=3)),  # nothing yet
    ]
    now = START
    assert due_reminders(meetings, set(), now) == [("b", DAY), ("a", QUARTER)]


def test_custom_offsets_in_any_order():
    hour = timedelta(hours=1)
    offsets = (QUARTER, hour, QUARTER)
    assert due_reminders([(1, START)], set(), START - hour, offsets) == [(1, hour)]
    assert due_reminders([(1, START)], set(), START - QUARTER, offsets) == [(1, QUARTER)]


def test_single_offset_window_runs_to_start():
    assert due_reminders([(1, START)], set(), START - timedelta(seconds=1), [DAY]) == [(1, DAY)]


@pytest.mark.parametrize("bad", [timedelta(0), timedelta(minutes=-5)])
def test_non_positive_offset_is_rejected(bad):
    with pytest.raises(ValueError, match="positive"):
        due_reminders([], set(), START, [DAY, bad])


def test_accepts_any_iterable():
    assert due_reminders(iter([(7, START)]), set(), START - DAY) == [(7, DAY)]
