"""The base of every refusal a person can act on; the API answers it with a 400 in the one error shape.

Plain Python, so Django-free packages (the query engine) may raise it too. Likewise `JobError`, below.
"""

from typing import Any


class Refusal(ValueError):
    """A request refused with a reason: `code` for programs (`unknown_column`), `message` for people
    (it names the parameter or column at fault), `details` with the pieces (column, parameter, value)."""

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, {self.details!r})"


class JobError(Exception):
    """A failure of background work to show the person as it is: its text is the job's error.

    Raised by the ingest (`IngestError`) and the recipe build (`RecipeFailed`); the apps raise their own
    subclasses (the URL import's `UrlImportError`) and record any of them as they are."""
