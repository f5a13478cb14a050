"""Errors the services raise; the UI maps each to a clear message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every expected, user-facing failure of a use case."""

    @property
    def message(self) -> str:
        """The text to show a person."""
        return str(self)


class InvalidInput(ServiceError):
    """A field of the input is not acceptable; nothing was changed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    """The thing does not exist, or the caller may not know that it does.

    Non-members get this too, so that a room's existence never leaks.
    """

    def __init__(self, what: str = "Not found") -> None:
        super().__init__(what)


class Forbidden(ServiceError):
    """The caller may see the thing but not do this to it."""


class Conflict(ServiceError):
    """The change clashes with the current state (e.g. a slot just taken)."""
