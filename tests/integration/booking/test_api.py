from icalendar import Calendar
from starlette.testclient import TestClient

from meetapp.api import SESSION_COOKIE, build_api
from meetapp.db import open_session
from meetapp.models import Meeting
from meetapp.services import auth, booking

from .conftest import NOW, at


def _client(world, user=None) -> TestClient:
    client = TestClient(build_api(world.engine))
    if user is not None:
        with open_session(world.engine) as db:
            token = auth.start_session(db, user)
        client.cookies.set(SESSION_COOKIE, token)
    return client


def test_ics_download_for_members_only(world):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    path = f"/api/meetings/{meeting.id}.ics"

    response = _client(world, world.cleo).get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"].startswith("attachment")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == meeting.uid

    assert _client(world, world.eve).get(path).status_code == 404
    assert _client(world).get(path).status_code == 404
    assert _client(world, world.cleo).get("/api/meetings/99999.ics").status_code == 404


def test_join_page_for_members_only(world):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    path = f"/meet/{meeting.join_token}"

    response = _client(world, world.ben).get(path)
    assert response.status_code == 200
    assert "Meeting room for Ana and Ben" in response.text
    assert _client(world, world.eve).get(path).status_code == 404
    assert _client(world).get(path).status_code == 404
    assert _client(world, world.ben).get("/meet/not-a-token").status_code == 404


def test_join_link_leads_to_the_conference_once_the_calendar_created_one(world):
    invite = world.share()
    meeting = booking.book(invite.id, world.ben, at("2026-03-03T15:00"), NOW, world.engine)
    with open_session(world.engine) as db:
        stored = db.get(Meeting, meeting.id)
        stored.conference_url = "https://meet.google.com/abc-defg-hij"
        db.add(stored)
    path = f"/meet/{meeting.join_token}"

    response = _client(world, world.ben).get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "https://meet.google.com/abc-defg-hij"
    assert _client(world, world.eve).get(path, follow_redirects=False).status_code == 404
