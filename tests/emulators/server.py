"""Run an ASGI app on a free loopback port in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn


def serve_in_thread(app, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Start ``app`` on 127.0.0.1 and return ``(base_url, stop)``.

    Args:
        app: Any ASGI application.
        port: A fixed port, or 0 for a free one.

    Returns:
        The base URL (no trailing slash) and a function that stops the server.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("emulator did not start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

    return f"http://127.0.0.1:{sock.getsockname()[1]}", stop


@contextmanager
def serving(app, port: int = 0) -> Iterator[str]:
    """``serve_in_thread`` as a context manager: yields the base URL, stops on exit."""
    url, stop = serve_in_thread(app, port)
    try:
        yield url
    finally:
        stop()
