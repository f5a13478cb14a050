"""The one error the scheduling engine raises for bad input."""


class InvalidRequest(ValueError):
    """A request that breaks the contract; names the offending field.

    Attributes:
        field: Dotted path of the offending field, e.g. ``"busy[3].end"``.
        reason: What is wrong with it, e.g. ``"must be after start"``.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def within(self, prefix: str) -> "InvalidRequest":
        """Returns the same error with its field nested under ``prefix``.

        Args:
            prefix: Path of the enclosing value, e.g. ``"hosts[1]"``.

        Returns:
            A new error whose field reads ``"<prefix>.<field>"``.
        """
        return InvalidRequest(f"{prefix}.{self.field}", self.reason)
