"""Pure scheduling engine: availability rules and busy times to bookable slots.

Imports nothing from the rest of meetapp; times are aware UTC inside, zones only at the edges,
and ``now`` always comes from the request.
"""

from meetapp.scheduling.collective import find_collective_slots
from meetapp.scheduling.errors import InvalidRequest
from meetapp.scheduling.slots import find_slots

__all__ = ["InvalidRequest", "find_collective_slots", "find_slots"]
