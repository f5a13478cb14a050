"""Collective availability: only the slots that every host offers."""

import pytest

from meetapp.scheduling import InvalidRequest, find_collective_slots, find_slots

NOW = "2026-03-25T12:00:00Z"


def _host(zone: str, windows: list[list[str]], **fields: object) -> dict:
    request = {
        "timezone": zone,
        "overrides": {"2026-03-30": windows},
        "duration_minutes": 30,
        "now": NOW,
        "viewer_timezone": "UTC",
    }
    request.update(fields)
    return request


def test_collective_slots_are_the_intersection_across_zones():
    lisbon = _host("Europe/Lisbon", [["14:00", "17:00"]])  # 13:00Z-16:00Z
    new_york = _host("America/New_York", [["10:00", "12:00"]])  # 14:00Z-16:00Z
    busy = [{"start": "2026-03-30T14:30:00Z", "end": "2026-03-30T15:00:00Z"}]
    response = find_collective_slots([lisbon, {**new_york, "busy": busy}])
    assert [slot["start"] for slot in response["slots"]] == [
        "2026-03-30T14:00:00Z",
        "2026-03-30T15:00:00Z",
        "2026-03-30T15:30:00Z",
    ]
    assert response["days"] == {"2026-03-30": ["14:00", "15:00", "15:30"]}


def test_one_host_alone_gets_their_own_slots():
    host = _host("Asia/Kolkata", [["09:00", "11:00"]], step_minutes=15)
    assert find_collective_slots([host]) == find_slots(host)


def test_hosts_whose_steps_never_align_share_nothing():
    on_the_hour = _host("UTC", [["09:00", "12:00"]])
    ten_past = _host("UTC", [["09:10", "12:00"]])
    assert find_collective_slots([on_the_hour, ten_past]) == {"slots": [], "days": {}}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": 60}, "hosts[1].duration_minutes"),
        ({"step_minutes": 15}, "hosts[1].step_minutes"),
        ({"now": "2026-03-25T12:01:00Z"}, "hosts[1].now"),
        ({"viewer_timezone": None}, "hosts[1].viewer_timezone"),
        ({"timezone": "Atlantis/Capital"}, "hosts[1].timezone"),
    ],
)
def test_hosts_must_agree_and_each_must_be_valid(changes, field):
    first = _host("Europe/Lisbon", [["09:00", "12:00"]])
    second = {**_host("America/New_York", [["09:00", "12:00"]]), **changes}
    with pytest.raises(InvalidRequest) as raised:
        find_collective_slots([first, second])
    assert raised.value.field == field


def test_an_empty_team_is_refused():
    with pytest.raises(InvalidRequest, match=r"^hosts: "):
        find_collective_slots([])
