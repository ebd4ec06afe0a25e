"""Quoting for the SQL text the ingest writes itself (paths and names it made or checked, never user SQL)."""

from pathlib import Path


def literal(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
