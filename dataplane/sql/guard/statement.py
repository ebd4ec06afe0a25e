"""`check_statement`: one user-written SQL text in, a checked tree and the tables it names out, or SqlRefused.

The text is parsed once by sqlglot in DuckDB's dialect, and what runs is the SQL generated back from the
checked tree (without comments), never the text as sent: whatever a comment or a string trick hides from
the parser cannot reach DuckDB, because DuckDB only ever sees what the parser understood.

Checks, in order:

1. Exactly one statement, and it is a SELECT (with its WITH, set operations and subqueries).
2. No node anywhere that writes, loads, attaches, sets, or selects INTO; no parameters.
3. Every function by the name DuckDB will see is in `functions.ALLOWED`; a table function in FROM is one of
   `functions.TABLE_FUNCTIONS`.
4. Every table name means what the resolver (`resolver.py`) says DuckDB binds it to: one of the statement's
   CTEs, or else a dataset name (`"workspace"."dataset"`, optionally `"dataset@n"` for a pinned version, or
   unqualified). Dataset names become `TableReference`s for the caller to resolve against what the person
   may read; `CheckedStatement.to_sql` (`rewrite.py`) then replaces each with the server's own read of the
   resolved version's published file, so no name the user wrote ever reaches DuckDB's catalog.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlglot import exp

from .errors import SQL_NOT_ALLOWED, SQL_UNKNOWN_TABLE, SqlRefused, position_of, where
from .functions import ALLOWED, TABLE_FUNCTIONS
from .parsing import FORBIDDEN_NODES, describe, function_name, is_query, parse_one_statement
from .resolver import fold, resolve_names
from .rewrite import CTE_DEFINITION, CTE_USE, REFERENCE, DatasetSource, bound_sql

PINNED = re.compile(r"^(?P<dataset>.+)@(?P<version>[0-9]+)$")
# Parts a named table may carry besides its name and alias; anything else (time travel, hints) is refused.
TABLE_PARTS = frozenset({"this", "db", "catalog", "alias", "sample", "pivots", "joins", "laterals"})


@dataclass(frozen=True)
class TableReference:
    """A dataset named by the statement. `workspace` is None for an unqualified name."""

    workspace: str | None
    dataset: str
    version: int | None
    text: str = field(compare=False)
    position: dict = field(compare=False, default_factory=dict)

    @property
    def key(self) -> tuple[str | None, str, int | None]:
        return (self.workspace, self.dataset, self.version)


@dataclass
class CheckedStatement:
    tree: exp.Expression
    references: list[TableReference]
    functions: frozenset[str] = frozenset()

    def to_sql(self, sources: Mapping[tuple, DatasetSource]) -> str:
        """The statement as DuckDB runs it: each dataset reference read from `sources[reference.key]`."""
        return bound_sql(self.tree, sources)


def table_reference(node: exp.Table) -> TableReference:
    text = ".".join(f'"{part}"' for part in (node.catalog, node.db, node.name) if part)
    position = position_of(node)
    if node.catalog:
        raise SqlRefused(
            SQL_UNKNOWN_TABLE,
            f'There is no table {text}{where(position)}: name a dataset as "workspace"."dataset".',
            {**position, "table": text},
        )
    name = fold(node.name)
    version = None
    if pinned := PINNED.match(name):
        name, version = pinned.group("dataset"), int(pinned.group("version"))
    return TableReference(fold(node.db) or None, name, version, text, position)


def check_function(node: exp.Func) -> str | None:
    """The function's name once allowed (None for operator forms), or SqlRefused."""
    in_from = isinstance(node.parent, exp.Table) and node.arg_key == "this"
    name = function_name(node)
    if name is None:
        return None
    allowed = TABLE_FUNCTIONS if in_from else ALLOWED
    if name not in allowed:
        details = {**position_of(node), "function": name}
        what = "table function" if in_from else "function"
        hint = " Read datasets by their table names instead." if in_from or name.startswith("read_") else ""
        raise SqlRefused(SQL_NOT_ALLOWED, f"The {what} {name}(){where(details)} is not allowed.{hint}", details)
    return name


def _not_allowed(node: exp.Expression, what: str) -> SqlRefused:
    details = position_of(node)
    return SqlRefused(SQL_NOT_ALLOWED, f"{what}{where(details)} is not allowed.", details)


def check_statement(sql: str) -> CheckedStatement:
    """Parse and check `sql`; raise SqlRefused naming what was refused and where."""
    tree = parse_one_statement(sql)
    if not is_query(tree):
        details = position_of(tree)
        raise SqlRefused(
            SQL_NOT_ALLOWED,
            f"Only a SELECT statement (or WITH … SELECT) may run; {describe(tree)} is not allowed.",
            {**details, "statement": describe(tree)},
        )
    functions: set[str] = set()
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            details = position_of(node)
            raise SqlRefused(
                SQL_NOT_ALLOWED,
                f"{describe(node)}{where(details)} is not allowed: only reading queries may run.",
                {**details, "statement": describe(node)},
            )
        if isinstance(node, exp.Func):
            functions.add(check_function(node) or "")
        elif isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier | exp.Func | exp.Unnest):
            raise _not_allowed(node, "This table expression")
    resolution = resolve_names(tree)
    for cte in resolution.ctes:
        cte.node.meta[CTE_DEFINITION] = cte.index
    references: dict[tuple, TableReference] = {}
    for binding in resolution.bindings:
        node = binding.node
        if extra := sorted(k for k, v in node.args.items() if v and k not in TABLE_PARTS):
            raise _not_allowed(node, f"This table's {extra[0].replace('_', ' ')}")
        if binding.cte is not None:
            node.meta[CTE_USE] = binding.cte.index
            continue
        reference = table_reference(node)
        node.meta[REFERENCE] = reference.key
        references.setdefault(reference.key, reference)
    return CheckedStatement(
        tree=tree,
        references=sorted(references.values(), key=lambda r: r.position.get("start", 0)),  # in the order written
        functions=frozenset(functions - {""}),
    )
