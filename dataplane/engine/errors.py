"""What the engine raises when a request cannot be answered: the API turns these into a 400."""

from dataplane.errors import Refusal


class QueryError(Refusal):
    """A request the engine refuses, with a message a person can act on.

    `code` is a short machine-readable reason (`unknown_column`, `invalid_value`, ...), `message` names the
    parameter or column at fault, `details` carries the pieces (column, parameter, value) for programs.
    """


class QueryTimeout(QueryError):
    """The query ran past its time limit and was interrupted."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            "timeout",
            f"The query took longer than {timeout_s:g} seconds and was stopped. Narrow it with filters.",
            {"timeout_s": timeout_s},
        )
