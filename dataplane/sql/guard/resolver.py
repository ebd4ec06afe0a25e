"""`resolve_names`: what every table name in a parsed statement means, decided as DuckDB 2.0's binder decides.

A name is either one of the statement's CTEs or, when DuckDB would look it up in its catalog (or try it as a
file), a dataset reference that the server replaces before anything runs. The rules, each observed in DuckDB
itself (tests/security/test_sql_resolver.py compares this module with DuckDB's bound plans):

- A qualified name (`"ws"."ds"`) is never a CTE.
- Names compare after ASCII case folding only, quoted or not (DuckDB's `StringUtil::Lower`): `"A"` is `a`,
  but the Kelvin sign, a dotless ı, a full-width or a Cyrillic letter stay themselves.
- A WITH's CTEs are visible in the whole query it belongs to (every operand of a set operation, subqueries at
  any depth) unless a nearer WITH defines the same name. A CTE's body sees the CTEs before it in its WITH and
  those of enclosing queries, never itself nor a later sibling: RECURSIVE changes nothing about that.
- The one exception: in `WITH RECURSIVE`, a CTE whose body (parentheses aside) is a UNION or UNION ALL, not
  BY NAME, sees itself in the union's right operand only, where it also shadows the body's own WITH. The
  left operand and the CTEs of the body's own WITH look the name up outside.
- DuckDB binds a CTE's body only when the CTE is referenced from something it binds: names inside an unused
  CTE are `reachable=False` (the guard still refuses them when they name no readable dataset).
"""

from dataclasses import dataclass, field

from sqlglot import exp

from .errors import SQL_SYNTAX, SqlRefused, position_of, where

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(name: str) -> str:
    """An identifier as DuckDB compares it: ASCII letters lowercased, every other character kept."""
    return name.translate(_ASCII_LOWER)


@dataclass(eq=False)
class Cte:
    """One CTE definition; `index` numbers them in the order written."""

    node: exp.CTE
    name: str
    index: int
    recursive: bool = False
    reachable: bool = False


@dataclass(eq=False)
class Binding:
    """One table name and what it means: `cte`, or None for a dataset reference."""

    node: exp.Table
    cte: Cte | None
    owner: Cte | None = field(repr=False, default=None)  # the innermost CTE body the name is in
    reachable: bool = False


@dataclass
class Resolution:
    bindings: list[Binding]
    ctes: list[Cte]

    @property
    def datasets(self) -> list[Binding]:
        return [b for b in self.bindings if b.cte is None]


Scope = tuple[tuple[str, Cte], ...]  # visible CTEs, the innermost last


def is_name(node: exp.Expression) -> bool:
    """A table named by an identifier (not a table function, UNNEST or VALUES)."""
    return isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier)


class _Binder:
    def __init__(self) -> None:
        self.bindings: list[Binding] = []
        self.ctes: list[Cte] = []

    def bind(self, node: exp.Expression, scope: Scope, owner: Cte | None) -> None:
        with_ = node.args.get("with_")
        if isinstance(with_, exp.With):
            scope = self.bind_with(with_, scope, owner)
        skip = {"with_"}
        if is_name(node):
            self.bind_name(node, scope, owner)
            skip |= {"this", "db", "catalog"}
        for key, value in node.args.items():
            if key in skip:
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, exp.Expression):
                    self.bind(child, scope, owner)

    def bind_with(self, with_: exp.With, scope: Scope, owner: Cte | None) -> Scope:
        recursive = bool(with_.args.get("recursive"))
        names: set[str] = set()
        for node in with_.expressions:
            name = fold(node.alias_or_name)
            if name in names:
                details = position_of(node)
                raise SqlRefused(
                    SQL_SYNTAX, f'The CTE name "{node.alias_or_name}" is used twice{where(details)}.', details
                )
            names.add(name)
            cte = Cte(node=node, name=name, index=len(self.ctes))
            self.ctes.append(cte)
            self.bind_body(cte, scope, recursive)
            scope = (*scope, (name, cte))
        return scope

    def bind_body(self, cte: Cte, scope: Scope, recursive: bool) -> None:
        body = cte.node.this
        union = body
        while isinstance(union, exp.Subquery) and not any(v for k, v in union.args.items() if k != "this"):
            union = union.this
        plain = not any(union.args.get(k) for k in ("by_name", "side", "kind", "on"))
        if not (recursive and isinstance(union, exp.Union) and plain):
            self.bind(body, scope, cte)
            return
        cte.recursive = True
        with_ = union.args.get("with_")
        if isinstance(with_, exp.With):
            scope = self.bind_with(with_, scope, cte)
        for key, value in union.args.items():
            if key == "with_":
                continue
            inner = (*scope, (cte.name, cte)) if key == "expression" else scope
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, exp.Expression):
                    self.bind(child, inner, cte)

    def bind_name(self, node: exp.Table, scope: Scope, owner: Cte | None) -> None:
        target = None
        if not node.args.get("db") and not node.args.get("catalog"):
            name = fold(node.name)
            target = next((cte for n, cte in reversed(scope) if n == name), None)
        self.bindings.append(Binding(node=node, cte=target, owner=owner))

    def mark_reachable(self) -> None:
        """What DuckDB binds: the statement's own body, and the body of every CTE referenced from there."""
        changed = True
        while changed:
            changed = False
            for binding in self.bindings:
                live = binding.owner is None or binding.owner.reachable
                if live and binding.cte is not None and not binding.cte.reachable and binding.cte is not binding.owner:
                    binding.cte.reachable = changed = True
        for binding in self.bindings:
            binding.reachable = binding.owner is None or binding.owner.reachable


def resolve_names(tree: exp.Expression) -> Resolution:
    """Every table name in `tree`, in the order written, with what DuckDB would bind it to.
    Raises SqlRefused (sql_syntax) for a WITH that defines one name twice, as DuckDB's parser does."""
    binder = _Binder()
    binder.bind(tree, (), None)
    binder.mark_reachable()
    binder.bindings.sort(key=lambda b: b.node.this.meta.get("start", 0))  # in the order written
    return Resolution(bindings=binder.bindings, ctes=binder.ctes)
