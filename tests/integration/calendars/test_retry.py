"""Retry-After parsing and the sync result's deletion rule."""

from __future__ import annotations

from datetime import UTC, datetime

from meetapp.calendars.base import SyncResult
from meetapp.calendars.retry import parse_retry_after


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 3, 30, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 30 Mar 2026 10:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 30 Mar 2026 09:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_deleting_a_series_removes_its_instances():
    result = SyncResult([], ["series1"], "token", full=False)
    assert result.removes("series1")
    assert result.removes("series1_20260306T170000Z")
    assert not result.removes("series10_20260306T170000Z")
    assert not result.removes("other")
