"""Pieces of SQL text that travel with their bound values, so a placeholder never loses its value."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


def quote_identifier(name: str) -> str:
    """`name` as a DuckDB identifier: always quoted, inner double quotes doubled, so any name is one identifier."""
    if "\x00" in name:
        raise ValueError("An identifier cannot contain a NUL character.")
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Fragment:
    """SQL text with `?` placeholders and the values they take, in order."""

    text: str
    params: Sequence[Any] = field(default_factory=tuple)

    def __add__(self, other: "Fragment") -> "Fragment":
        return Fragment(self.text + other.text, (*self.params, *other.params))


TRUE = Fragment("TRUE")
FALSE = Fragment("FALSE")


def value(bound: Any) -> Fragment:
    """One bound value."""
    return Fragment("?", (bound,))


def join(fragments: Iterable[Fragment], separator: str) -> Fragment:
    """Fragments joined by `separator` (SQL text of our own, never user input)."""
    parts = list(fragments)
    return Fragment(separator.join(part.text for part in parts), tuple(p for part in parts for p in part.params))


def all_of(fragments: Iterable[Fragment]) -> Fragment:
    """The AND of the fragments; TRUE when there are none."""
    parts = list(fragments)
    if not parts:
        return TRUE
    return join((Fragment(f"({part.text})", part.params) for part in parts), " AND ")


def any_of(fragments: Iterable[Fragment]) -> Fragment:
    """The OR of the fragments; FALSE when there are none."""
    parts = list(fragments)
    if not parts:
        return FALSE
    return join((Fragment(f"({part.text})", part.params) for part in parts), " OR ")
