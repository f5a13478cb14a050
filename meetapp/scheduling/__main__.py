"""``python -m meetapp.scheduling < request.json > response.json``.

Exit codes: 0 with the response on stdout; 2 with the offending field on stderr.
"""

import json
import sys
from typing import TextIO

from meetapp.scheduling.errors import InvalidRequest
from meetapp.scheduling.slots import find_slots

EXIT_INVALID = 2


def main(source: TextIO, sink: TextIO, errors: TextIO) -> int:
    """Reads one JSON request from ``source``, writes the JSON response to ``sink``.

    Args:
        source: Stream holding the request.
        sink: Stream that receives the response.
        errors: Stream that receives the reason a request is refused.

    Returns:
        The process exit code.
    """
    try:
        request = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"request: malformed JSON: {error}", file=errors)
        return EXIT_INVALID
    try:
        response = find_slots(request)
    except InvalidRequest as error:
        print(error, file=errors)
        return EXIT_INVALID
    json.dump(response, sink)
    sink.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin, sys.stdout, sys.stderr))
