from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from meetapp.notifications.links import google_calendar_url, outlook_calendar_url

KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+05:30, a half-hour zone


@pytest.fixture
def kolkata_invite(make_invite):
    start = datetime(2026, 3, 3, 10, 30, tzinfo=KOLKATA)
    return make_invite(start=start, end=start + timedelta(minutes=45))


def _split(url: str):
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    return parts, {key: values[0] for key, values in query.items()}


def test_google_url(kolkata_invite):
    parts, query = _split(google_calendar_url(kolkata_invite))
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "calendar.google.com",
        "/calendar/render",
    )
    assert query == {
        "action": "TEMPLATE",
        "text": "Café sync ☕",
        "dates": "20260303T050000Z/20260303T054500Z",
        "details": kolkata_invite.details,
        "location": "https://meetapp.test/join/42",
    }


def test_outlook_url(kolkata_invite):
    parts, query = _split(outlook_calendar_url(kolkata_invite))
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "outlook.live.com",
        "/calendar/0/deeplink/compose",
    )
    assert query == {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": "Café sync ☕",
        "startdt": "2026-03-03T05:00:00Z",
        "enddt": "2026-03-03T05:45:00Z",
        "body": kolkata_invite.details,
        "location": "https://meetapp.test/join/42",
    }


@pytest.mark.parametrize("build", [google_calendar_url, outlook_calendar_url])
def test_urls_are_ascii_and_percent_encoded(build, make_invite):
    url = build(make_invite(title="A&B = C+D #1 ☕", description="x?y=z&w"))
    assert url.isascii()
    assert " " not in url
    assert "+" not in url  # spaces are %20, and a literal "+" is %2B
    _, query = _split(url)
    assert "A&B = C+D #1 ☕" in query.values()
    assert any(value.startswith("x?y=z&w\n\nJoin: ") for value in query.values())


@pytest.mark.parametrize("build", [google_calendar_url, outlook_calendar_url])
def test_details_carry_join_url(build, invite):
    _, query = _split(build(invite))
    assert "Join: https://meetapp.test/join/42" in (query.get("details") or query["body"])
