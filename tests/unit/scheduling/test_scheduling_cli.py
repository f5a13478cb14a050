"""``python -m meetapp.scheduling``: JSON in, JSON out, exit 2 naming the field."""

import json
import subprocess
import sys
from pathlib import Path

from meetapp.scheduling import find_slots

REPOSITORY = Path(__file__).resolve().parents[3]
REQUEST = {
    "timezone": "Europe/Lisbon",
    "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]]},
    "busy": [{"start": "2026-03-30T10:00:00Z", "end": "2026-03-30T11:00:00Z"}],
    "now": "2026-03-25T12:00:00Z",
    "viewer_timezone": "America/Los_Angeles",
}


def _run(stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "meetapp.scheduling"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        timeout=60,
        check=False,
    )


def test_valid_request_prints_the_response():
    result = _run(json.dumps(REQUEST))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == find_slots(REQUEST)
    assert json.loads(result.stdout)["slots"][0] == {
        "start": "2026-03-30T08:00:00Z",
        "end": "2026-03-30T08:30:00Z",
    }


def test_invalid_request_exits_2_naming_the_field():
    result = _run(json.dumps({**REQUEST, "horizon_days": 400}))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "horizon_days: must be between 0 and 365"


def test_malformed_json_exits_2():
    result = _run("{not json")
    assert result.returncode == 2
    assert result.stderr.startswith("request: malformed JSON")


def test_json_that_is_not_an_object_exits_2():
    result = _run("[]")
    assert result.returncode == 2
    assert result.stderr.startswith("request: must be a JSON object")
