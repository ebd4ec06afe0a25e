"""The statement DuckDB runs: the checked tree with every name replaced by what the server bound it to.

- A dataset reference becomes `(SELECT "c1", "c2", ... FROM read_parquet('<published file>')) AS "<name>"`:
  exactly the version's schema columns, so DuckDB's virtual columns of a file scan (`filename`,
  `file_row_number`, `file_index`) cannot be reached (a real column of that name is one of the schema's).
- Every CTE is renamed `"dm_cte_<n>"` where it is defined and wherever the resolver bound a name to it (the
  name written stays as the alias). Should DuckDB ever bind a name differently from the resolver, it finds
  no such table in its catalog and fails, instead of reading something the server did not choose.

`verify_generated` parses the result afresh and checks it once more before it runs.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from .errors import SQL_NOT_ALLOWED, SqlRefused
from .functions import ALLOWED, TABLE_FUNCTIONS
from .parsing import DIALECT, FORBIDDEN_NODES, function_name, parse_one_statement
from .resolver import fold, is_name, resolve_names

REFERENCE = "datamill_reference"  # node.meta key: the dataset reference's key
CTE_USE = "datamill_cte_use"  # node.meta key: the index of the CTE a name is bound to
CTE_DEFINITION = "datamill_cte_definition"  # node.meta key: the index of a CTE definition
CTE_PREFIX = "dm_cte_"


@dataclass(frozen=True)
class DatasetSource:
    """What the server reads for one dataset reference: the published file, and the schema's column names."""

    path: str
    columns: tuple[str, ...]


def cte_name(index: int) -> exp.Identifier:
    return exp.to_identifier(f"{CTE_PREFIX}{index}", quoted=True)


def dataset_scan(source: DatasetSource) -> exp.Select:
    scan = exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(source.path)])
    columns = [exp.column(name, quoted=True) for name in source.columns] or [exp.Star()]
    return exp.select(*columns).from_(exp.Table(this=scan))


def _alias_of(node: exp.Table) -> exp.TableAlias:
    alias = node.args.get("alias")
    return alias.copy() if alias else exp.TableAlias(this=exp.to_identifier(node.name, quoted=True))


def _kept_parts(node: exp.Table) -> dict:
    return {k: v for k, v in node.args.items() if k not in ("this", "db", "catalog", "alias") and v}


def bound_sql(tree: exp.Expression, sources: Mapping[tuple, DatasetSource]) -> str:
    """SQL text for `tree` (marked by check_statement), each dataset reference read from `sources[key]`."""
    qualifiers = {
        (fold(n.db), fold(n.name)) for n in tree.find_all(exp.Table) if n.meta.get(REFERENCE) is not None and n.db
    }

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and (key := node.meta.get(REFERENCE)) is not None:
            return exp.Subquery(this=dataset_scan(sources[key]), alias=_alias_of(node), **_kept_parts(node))
        if isinstance(node, exp.Table) and (index := node.meta.get(CTE_USE)) is not None:
            return exp.Table(this=cte_name(index), alias=_alias_of(node), **_kept_parts(node))
        if isinstance(node, exp.CTE) and (index := node.meta.get(CTE_DEFINITION)) is not None:
            node.args["alias"].set("this", cte_name(index))  # in place: the body is still to be swapped
            return node
        # `workspace.dataset.column` keeps working: the table is now known by its alias alone.
        if isinstance(node, exp.Column) and node.db and (fold(node.db), fold(node.table)) in qualifiers:
            column = node.copy()
            column.set("db", None)
            column.set("catalog", None)
            return column
        return node

    sql = tree.transform(swap).sql(dialect=DIALECT, comments=False)
    verify_generated(sql, [sources[key] for key in {n.meta.get(REFERENCE) for n in tree.find_all(exp.Table)} if key])
    return sql


def _refuse() -> SqlRefused:
    return SqlRefused(SQL_NOT_ALLOWED, "The statement could not be prepared safely; write it another way.")


def verify_generated(sql: str, sources: Sequence[DatasetSource]) -> None:
    """Check the SQL about to run once more, parsed afresh: nothing but allowed functions, the server's CTE
    names, and `read_parquet` of the bound files as the only table of the server's own subqueries."""
    scans = {dataset_scan(source).sql(dialect=DIALECT) for source in sources}
    tree = parse_one_statement(sql)
    resolution = resolve_names(tree)
    if any(b.cte is None for b in resolution.bindings):
        raise _refuse()
    if any(not cte.node.alias_or_name.startswith(CTE_PREFIX) for cte in resolution.ctes):
        raise _refuse()
    for node in tree.walk():
        bad = isinstance(node, FORBIDDEN_NODES)
        if isinstance(node, exp.Table) and not is_name(node) and isinstance(node.this, exp.Func):
            name = function_name(node.this)
            if name == "read_parquet":
                select = node.parent.parent if isinstance(node.parent, exp.From) else None
                bad = select is None or select.sql(dialect=DIALECT) not in scans
            else:
                bad = name not in TABLE_FUNCTIONS
        elif isinstance(node, exp.Table) and not is_name(node):
            bad = not isinstance(node.this, exp.Unnest)
        elif isinstance(node, exp.Func) and not (isinstance(node.parent, exp.Table) and node.arg_key == "this"):
            bad = (name := function_name(node)) is not None and name not in ALLOWED
        if bad:
            raise _refuse()
