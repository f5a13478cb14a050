from datetime import datetime, timedelta

import pytest

from meetapp.notifications.meeting import Person


@pytest.mark.parametrize("name", ["Eve\r\nBcc: all@example.com", "Eve\nX", "Eve\rX"])
def test_person_rejects_line_breaks_in_name(name):
    with pytest.raises(ValueError, match="line breaks"):
        Person(name, "eve@example.com")


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("eve@example.com\r\nBcc: x@y.z", "line breaks"),
        ("not-an-address", "not an email address"),
        ("a b@c.d", "not an email address"),
    ],
)
def test_person_rejects_bad_email(email, error):
    with pytest.raises(ValueError, match=error):
        Person("Eve", email)


@pytest.mark.parametrize("field", ["title", "uid", "join_url", "room_url"])
def test_invite_rejects_line_breaks_in_single_line_fields(make_invite, field):
    with pytest.raises(ValueError, match="line breaks"):
        make_invite(**{field: "Sync\r\nBcc: all@example.com"})


def test_invite_allows_multiline_description_and_reason(make_invite):
    invite = make_invite(description="one\ntwo", reason="clash\nsorry")
    assert invite.description == "one\ntwo"


def test_invite_rejects_naive_times(make_invite):
    with pytest.raises(ValueError, match="timezone-aware"):
        make_invite(start=datetime(2026, 3, 3, 15, 0))


def test_invite_rejects_end_not_after_start(invite, make_invite):
    with pytest.raises(ValueError, match="end must be after start"):
        make_invite(end=invite.start)


def test_invite_rejects_unknown_status_and_negative_sequence(make_invite):
    with pytest.raises(ValueError, match="status"):
        make_invite(status="tentative")
    with pytest.raises(ValueError, match="sequence"):
        make_invite(sequence=-1)


def test_actor_defaults_to_organizer(invite, make_invite, ana, ben):
    assert invite.actor == ana
    assert make_invite(changed_by=ben).actor == ben


def test_details_include_description_and_links(invite):
    assert invite.details == (
        "Quarterly planning.\nBring numbers.\n\n"
        "Join: https://meetapp.test/join/42\nChat room: https://meetapp.test/rooms/7"
    )


def test_details_without_description_start_with_join(make_invite):
    assert make_invite(description="  ").details.startswith("Join: ")


def test_invite_is_frozen(invite):
    with pytest.raises(AttributeError):
        invite.sequence = 3  # type: ignore[misc]
    assert invite.end - invite.start == timedelta(minutes=30)
