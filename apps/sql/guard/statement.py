"""`check_statement`: one user-written SQL text in, a checked tree and the tables it names out, or SqlRefused.

The text is parsed once by sqlglot in DuckDB's dialect, and what runs is the SQL generated back from the
checked tree (without comments), never the text as sent: whatever a comment or a string trick hides from
the parser cannot reach DuckDB, because DuckDB only ever sees what the parser understood.

Checks, in order:

1. Exactly one statement, and it is a SELECT (with its WITH, set operations and subqueries).
2. No node anywhere that writes, loads, attaches, sets, or selects INTO; no parameters.
3. Every function by the name DuckDB will see is in `functions.ALLOWED`; a table function in FROM is one of
   `functions.TABLE_FUNCTIONS`.
4. Every table reference is either a CTE in scope or a dataset name (`"workspace"."dataset"`, optionally
   `"dataset@n"` for a pinned version, or unqualified): those become `TableReference`s for the caller to
   resolve against what the person may read. `CheckedStatement.to_sql` then swaps each for `read_parquet`
   of the resolved version's file, which only the server ever writes.
"""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .errors import SQL_NOT_ALLOWED, SQL_SYNTAX, SQL_UNKNOWN_TABLE, SqlRefused, position_of, where
from .functions import ALLOWED, TABLE_FUNCTIONS

DIALECT = "duckdb"
MAX_SQL_LENGTH = 100_000
PINNED = re.compile(r"^(?P<dataset>.+)@(?P<version>[0-9]+)$")
REFERENCE = "datamill_reference"  # node.meta key marking a dataset reference for to_sql
CALL_HEAD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")

# Parsed as statements of their own, or as parts that write or reach outside the query.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in [
        "DDL",
        "DML",
        "Command",
        "Pragma",
        "Set",
        "Copy",
        "Attach",
        "Detach",
        "Install",
        "Use",
        "Describe",
        "Show",
        "Summarize",
        "Into",
        "Placeholder",
        "Parameter",
        "Transaction",
        "Commit",
        "Rollback",
        "Alter",
        "Drop",
        "Create",
        "Insert",
        "Update",
        "Delete",
        "Merge",
        "Export",
        "LoadData",
        "Analyze",
        "Refresh",
        "Cache",
        "Uncache",
        "Grant",
        "Revoke",
        "Kill",
        "Execute",
        "Declare",
    ]
    if hasattr(exp, name)
)

# sqlglot logs a warning whenever it falls back to a raw Command; refusing it is enough.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


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
    _nodes: list[tuple[exp.Table, TableReference]]
    functions: frozenset[str] = frozenset()

    def to_sql(self, paths: Mapping[tuple, str]) -> str:
        """The statement as DuckDB runs it: each dataset reference read from `paths[reference.key]`."""
        qualifiers = {(n.db.lower(), n.name.lower()) for n, _ in self._nodes if n.db}

        def swap(node: exp.Expression) -> exp.Expression:
            key = node.meta.get(REFERENCE) if isinstance(node, exp.Table) else None
            if key is not None:
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name, quoted=True))
                scan = exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(paths[key])])
                return exp.Table(this=scan, alias=alias.copy())
            # `workspace.dataset.column` keeps working: the table is now known by its alias alone.
            if isinstance(node, exp.Column) and node.db and (node.db.lower(), node.table.lower()) in qualifiers:
                column = node.copy()
                column.set("db", None)
                column.set("catalog", None)
                return column
            return node

        sql = self.tree.transform(swap).sql(dialect=DIALECT, comments=False)
        verify_generated(sql, set(paths.values()))
        return sql


def _scan(path: str) -> str:
    return exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(path)]).sql(dialect=DIALECT)


def verify_generated(sql: str, paths: set[str]) -> None:
    """Check the SQL about to run once more, parsed afresh: nothing but allowed functions, CTEs and
    `read_parquet` of the resolved files. It only fails if generating SQL from the tree went wrong."""
    scans = {_scan(path) for path in paths}
    for node in parse_one_statement(sql).walk():
        bad = isinstance(node, FORBIDDEN_NODES)
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            bad = bool(node.db or node.catalog) or node.name.lower() not in visible_ctes(node)
        elif isinstance(node, exp.Table) and isinstance(node.this, exp.Func):
            name = function_name(node.this)
            bad = node.this.sql(dialect=DIALECT) not in scans if name == "read_parquet" else name not in TABLE_FUNCTIONS
        elif isinstance(node, exp.Func) and not (isinstance(node.parent, exp.Table) and node.arg_key == "this"):
            bad = (name := function_name(node)) is not None and name not in ALLOWED
        if bad:
            raise SqlRefused(SQL_NOT_ALLOWED, "The statement could not be prepared safely; write it another way.")


def parse_one_statement(sql: str) -> exp.Expression:
    """The single statement in `sql`, or SqlRefused (sql_syntax, or sql_not_allowed for a second one)."""
    if not isinstance(sql, str) or not sql.strip():
        raise SqlRefused(SQL_SYNTAX, "The SQL is empty: write one SELECT statement.")
    if len(sql) > MAX_SQL_LENGTH:
        raise SqlRefused(SQL_SYNTAX, f"The SQL is {len(sql):,} characters long; the limit is {MAX_SQL_LENGTH:,}.")
    try:
        statements = [s for s in sqlglot.parse(sql, read=DIALECT) if s is not None]
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        details = {}
        if first.get("line"):
            highlight = first.get("highlight") or ""
            details = {"line": first["line"], "column": max(1, first["col"] - len(highlight) + 1)}
        reason = (first.get("description") or str(error)).split(". Line ")[0]
        raise SqlRefused(SQL_SYNTAX, f"The SQL could not be parsed{where(details)}: {reason}.", details) from None
    except TokenError as error:
        raise SqlRefused(SQL_SYNTAX, f"The SQL could not be read: {error}.") from None
    except RecursionError:
        raise SqlRefused(SQL_SYNTAX, "The SQL is nested too deeply to read.") from None
    if not statements:
        raise SqlRefused(SQL_SYNTAX, "The SQL holds no statement: write one SELECT statement.")
    if len(statements) > 1:
        details = position_of(statements[1])
        raise SqlRefused(
            SQL_NOT_ALLOWED,
            f"Only one statement may run; a second one starts{where(details) or ' after the first'}.",
            details,
        )
    return statements[0]


def describe(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Into):
        return "SELECT … INTO"
    if isinstance(node, exp.Placeholder | exp.Parameter):
        return "a parameter"
    return node.key.upper()


def function_name(node: exp.Func) -> str | None:
    """The name DuckDB will see for a function node, or None when it is written as an operator."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    match = CALL_HEAD.match(node.sql(dialect=DIALECT, comments=False))
    return match.group(1).lower() if match else None


def is_query(node: exp.Expression) -> bool:
    if isinstance(node, exp.Subquery):
        return is_query(node.this)
    return isinstance(node, exp.Select | exp.SetOperation)


def visible_ctes(node: exp.Expression) -> set[str]:
    """The CTE names a table reference at `node` may mean, as DuckDB scopes them: every CTE of a WITH
    from its query's body; from inside one CTE only the CTEs before it (and itself when RECURSIVE).
    Anything else is a table name, so `WITH "x.csv" AS (SELECT * FROM "x.csv") ...` cannot reach a file."""
    names: set[str] = set()
    child, parent = node, node.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            recursive = bool(parent.args.get("recursive"))
            for cte in parent.expressions:
                if cte is child and not recursive:
                    break
                names.add(cte.alias_or_name.lower())
                if cte is child:
                    break
        elif isinstance(parent, exp.Query) and (with_ := parent.args.get("with_")) is not None and child is not with_:
            names.update(cte.alias_or_name.lower() for cte in with_.expressions)
        child, parent = parent, parent.parent
    return names


def table_reference(node: exp.Table) -> TableReference:
    text = ".".join(f'"{part}"' for part in (node.catalog, node.db, node.name) if part)
    position = position_of(node)
    if node.catalog:
        raise SqlRefused(
            SQL_UNKNOWN_TABLE,
            f'There is no table {text}{where(position)}: name a dataset as "workspace"."dataset".',
            {**position, "table": text},
        )
    name = node.name.lower()
    version = None
    if pinned := PINNED.match(name):
        name, version = pinned.group("dataset"), int(pinned.group("version"))
    return TableReference(node.db.lower() or None, name, version, text, position)


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
    references: dict[tuple, TableReference] = {}
    nodes: list[tuple[exp.Table, TableReference]] = []
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
        elif isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            if not node.db and not node.catalog and node.name.lower() in visible_ctes(node):
                continue
            reference = table_reference(node)
            node.meta[REFERENCE] = reference.key
            references.setdefault(reference.key, reference)
            nodes.append((node, reference))
        elif isinstance(node, exp.Table) and not isinstance(node.this, exp.Func | exp.Unnest):
            details = position_of(node)
            raise SqlRefused(SQL_NOT_ALLOWED, f"This table expression{where(details)} is not allowed.", details)
    return CheckedStatement(
        tree=tree,
        references=sorted(references.values(), key=lambda r: r.position.get("start", 0)),  # in the order written
        _nodes=nodes,
        functions=frozenset(functions - {""}),
    )
