"""Collective availability: the slots every host of a team room offers."""

from collections.abc import Sequence

from meetapp.scheduling.errors import InvalidRequest
from meetapp.scheduling.request import SlotRequest, parse_request
from meetapp.scheduling.response import render_response
from meetapp.scheduling.slots import offered_starts

# What the hosts' requests must agree on for "the same slot" to mean anything.
_SHARED_FIELDS = {
    "duration_minutes": lambda request: request.duration_minutes,
    "step_minutes": lambda request: request.step_minutes,
    "now": lambda request: request.now,
    "viewer_timezone": lambda request: request.viewer_zone.key,
}


def find_collective_slots(host_requests: Sequence[dict]) -> dict:
    """Returns the slots that every host offers, each host with their own rules and busy.

    Args:
        host_requests: One ``find_slots`` request per host. They must agree on
            ``duration_minutes``, the effective ``step_minutes``, ``now`` and the effective
            ``viewer_timezone`` (which defaults to each host's own zone, so hosts in
            different zones must name it).

    Returns:
        The ``find_slots`` response shape, holding only slots offered by all hosts.

    Raises:
        InvalidRequest: If a request is invalid (field prefixed ``hosts[i].``) or the
            requests disagree on a shared field.
    """
    if not isinstance(host_requests, list | tuple) or not host_requests:
        raise InvalidRequest("hosts", "must be a non-empty list of requests")
    parsed: list[SlotRequest] = []
    for index, raw in enumerate(host_requests):
        try:
            parsed.append(parse_request(raw))
        except InvalidRequest as error:
            raise error.within(f"hosts[{index}]") from None
    first = parsed[0]
    for index, request in enumerate(parsed[1:], start=1):
        for name, value_of in _SHARED_FIELDS.items():
            if value_of(request) != value_of(first):
                raise InvalidRequest(f"hosts[{index}].{name}", "must match hosts[0]")

    common = set(offered_starts(first))
    for request in parsed[1:]:
        common.intersection_update(offered_starts(request))
    return render_response(sorted(common), first.duration_minutes, first.viewer_zone)
