import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

SMTP_USER = "meetapp"
SMTP_PASSWORD = "s3cret"


@dataclass
class RecordingHandler:
    """aiosmtpd handler that keeps every envelope and refuses one chosen address."""

    envelopes: list[Envelope] = field(default_factory=list)
    refused: str = "nobody@example.com"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == LoginPassword(
        SMTP_USER.encode(), SMTP_PASSWORD.encode()
    )
    # handled=False makes aiosmtpd answer 535 itself instead of leaving the client waiting.
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; AUTH is offered without TLS (test only)."""
    handler = RecordingHandler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()
