"""Rule `join_conditions`: every joined relation is tied to the others by an equality of columns.

A join whose only condition is `ON true`, an inequality, a column compared with a literal, or the
tenant column (every row of a tenant matches every other) pairs each row with every row of the
other side: over the fact table that is billions of rows before any timeout. `joins` caps how
many such joins one statement may hold; this rule admits none, unless a side is provably small.

Per SELECT, its relations (the FROM and every JOIN) are nodes; an equality `a.x = b.y` (or
`IS NOT DISTINCT FROM`, or `USING (x)`) whose two sides read columns of two different relations,
in a top-level AND term of a join's ON or of the SELECT's WHERE (TPC-H's `FROM a, b WHERE
a.k = b.k`), is an edge. The relations that are not small must form one connected graph, so
`FROM a, b, c WHERE b.k = c.k` is refused for `a`. Columns must be qualified: an unqualified
column cannot be placed on a side. Provably small: a VALUES list of at most `SMALL_ROWS` rows (the
`syntax` rule refuses VALUES in the default policy), a one-row aggregate (MetricFlow's CROSS JOIN
of per-metric totals), a query with a literal LIMIT of at most `SMALL_ROWS`, a CTE whose body is
one of those, a SELECT with no FROM, and a LATERAL subquery (tied to its row by correlation).
SEMI, ANTI, ASOF and POSITIONAL joins do not multiply rows. A band join — a column bounded below
and above by the same column of another relation, at most `MAX_BAND_DAYS` apart (MetricFlow's
cumulative metrics over the time spine) — ties two relations like an equality. NATURAL joins
are refused: which columns they equate is not in the SQL.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "join_conditions"
SMALL_ROWS = 1000

_NON_MULTIPLYING = frozenset({"SEMI", "ANTI", "ASOF", "POSITIONAL"})


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    tenant_columns = {
        rel.tenant_column.lower() for rel in ctx.policy.relations.values() if rel.tenant_column is not None
    }
    for select in tree.find_all(exp.Select):
        joins = select.args.get("joins") or []
        if joins:
            _check(select, joins, tenant_columns)
    return tree


def _check(select: exp.Select, joins: list[exp.Join], tenant_columns: set[str]) -> None:
    from_ = select.args.get("from_")
    sources: list[exp.Expr] = ([from_.this] if isinstance(from_, exp.From) else []) + [j.this for j in joins]
    names = [_name(source, n) for n, source in enumerate(sources)]
    small = {names[n] for n, source in enumerate(sources) if _is_small(source)}
    edges: set[frozenset[str]] = set()
    conditions: list[exp.Expr] = []
    for n, join in enumerate(joins, start=1):
        kind = str(join.args.get("kind") or "").upper()
        method = str(join.args.get("method") or "").upper()
        if kind in _NON_MULTIPLYING or method in _NON_MULTIPLYING or isinstance(join.this, exp.Lateral):
            small.add(names[n])
            continue
        using = [c.name.lower() for c in join.args.get("using") or []]
        if method != "NATURAL" and any(c not in tenant_columns for c in using):
            edges.update(frozenset((names[n], earlier)) for earlier in names[:n])
        on = join.args.get("on")
        if on is not None:
            conditions += _conjuncts(on)
    where = select.args.get("where")
    if where is not None:
        conditions += _conjuncts(where.this)
    known = set(names)
    for condition in conditions:
        edge = _equated(condition, tenant_columns, known)
        if edge is not None:
            edges.add(edge)
    edges |= _bands(conditions, known)
    large = [name for name in names if name not in small]
    if len(large) < 2:
        return
    reached = {large[0]}
    frontier = [large[0]]
    while frontier:
        node = frontier.pop()
        for edge in edges:
            if node in edge:
                for other in edge - reached:
                    reached.add(other)
                    frontier.append(other)
    loose = [name for name in large if name not in reached]
    if loose:
        raise GuardRejection(
            NAME,
            f"{', '.join(loose)} {'is' if len(loose) == 1 else 'are'} joined without an equality of columns "
            f"to the other relations (ON true, a cross join, an inequality or only the tenant column would "
            f"pair every row with every row); join on a key, e.g. ON a.store_id = b.store_id, with "
            f"qualified column names",
        )


def _name(source: exp.Expr, position: int) -> str:
    alias = source.alias_or_name
    return alias.lower() if alias else f"#{position}"


def _conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    """Top-level AND terms only: an equality under OR does not tie two relations together."""
    while isinstance(condition, exp.Paren):
        condition = condition.this
    if isinstance(condition, exp.And):
        return _conjuncts(condition.this) + _conjuncts(condition.expression)
    return [condition]


def _tables(side: exp.Expr) -> set[str] | None:
    """The qualifiers of the columns one side of an equality reads; None if any is unqualified or
    the side reads no column (a literal) or holds a subquery (whose columns are another scope's)."""
    if side.find(exp.Select) is not None:
        return None
    columns = [side] if isinstance(side, exp.Column) else list(side.find_all(exp.Column))
    if not columns or any(not c.table for c in columns):
        return None
    return {c.table.lower() for c in columns}


def _equated(condition: exp.Expr, tenant_columns: set[str], known: set[str]) -> frozenset[str] | None:
    if not isinstance(condition, exp.EQ | exp.NullSafeEQ):
        return None
    left, right = condition.this, condition.expression
    if (
        isinstance(left, exp.Column)
        and isinstance(right, exp.Column)
        and left.name.lower() in tenant_columns
        and right.name.lower() in tenant_columns
    ):
        return None  # the tenant column ties every row of a tenant to every other
    left_tables, right_tables = _tables(left), _tables(right)
    if not left_tables or not right_tables or len(left_tables) != 1 or len(right_tables) != 1:
        return None
    edge = frozenset(left_tables | right_tables)
    return edge if len(edge) == 2 and edge <= known else None


# how wide a band join's window may be, in days (a cumulative metric's trailing window, a year to date)
MAX_BAND_DAYS = 366
_UNIT_DAYS = {"DAY": 1, "WEEK": 7, "MONTH": 31, "QUARTER": 92, "YEAR": 366}


def _bands(conditions: list[exp.Expr], known: set[str]) -> set[frozenset[str]]:
    """Edges of band joins (MetricFlow's cumulative metrics over the time spine): a column of one
    relation bounded below and above by the same column of another, at most `MAX_BAND_DAYS`
    apart — `s.d <= t.d AND s.d > t.d - INTERVAL 7 DAY`, `s.d BETWEEN DATE_TRUNC('month', t.d)
    AND t.d`. Each row then meets a window of the other side, not all of it."""
    bounds: dict[tuple[str, str], list[tuple[str, exp.Expr]]] = {}
    for condition in conditions:
        if isinstance(condition, exp.Between):
            pairs = [
                ("low", condition.this, condition.args["low"]),
                ("high", condition.this, condition.args["high"]),
            ]
        elif isinstance(condition, exp.LT | exp.LTE | exp.GT | exp.GTE):
            below = isinstance(condition, exp.GT | exp.GTE)  # column > bound: the bound is below it
            pairs = [("low" if below else "high", condition.this, condition.expression)]
            flipped = ("high" if below else "low", condition.expression, condition.this)
            pairs.append(flipped)
        else:
            continue
        for side, column, bound in pairs:
            if isinstance(column, exp.Column) and column.table:
                bounds.setdefault((column.table.lower(), column.name.lower()), []).append((side, bound))
    edges: set[frozenset[str]] = set()
    for (table, _column), found in bounds.items():
        for side, low in found:
            if side != "low":
                continue
            for other_side, high in found:
                if other_side != "high":
                    continue
                width = _window_days(low, high)
                other = _tables(high)
                if width is not None and 0 <= width <= MAX_BAND_DAYS and other and len(other) == 1:
                    edge = frozenset(other | {table})
                    if len(edge) == 2 and edge <= known:
                        edges.add(edge)
    return edges


def _window_days(low: exp.Expr, high: exp.Expr) -> float | None:
    """high − low in days when both are the same expression moved by a literal interval or
    truncated to a unit (DATE_TRUNC moves it back by at most one unit); None otherwise."""
    low_base, low_offset = _offset(low)
    high_base, high_offset = _offset(high)
    if low_base is None or high_base is None or low_base != high_base:
        return None
    return high_offset - low_offset


def _offset(expr: exp.Expr) -> tuple[str | None, float]:
    if isinstance(expr, exp.Sub | exp.Add) and isinstance(expr.expression, exp.Interval):
        days = _interval_days(expr.expression)
        if days is None:
            return None, 0
        base, offset = _offset(expr.this)
        return base, offset + (days if isinstance(expr, exp.Add) else -days)
    if isinstance(expr, exp.DateTrunc | exp.TimestampTrunc):
        unit = _unit(expr, "")
        if unit not in _UNIT_DAYS:
            return None, 0
        base, offset = _offset(expr.this)
        return base, offset - _UNIT_DAYS[unit]
    if isinstance(expr, exp.Cast):
        return _offset(expr.this)
    if isinstance(expr, exp.Column) and expr.table:
        return expr.sql(), 0
    return None, 0


def _unit(node: exp.Expr, default: str) -> str:
    unit = node.args.get("unit")
    return (unit.name if isinstance(unit, exp.Expr) else default).upper()


def _interval_days(interval: exp.Interval) -> float | None:
    unit = _unit(interval, "DAY").removesuffix("S")
    try:
        amount = float(interval.this.name)
    except (AttributeError, ValueError):
        return None
    return amount * _UNIT_DAYS[unit] if unit in _UNIT_DAYS and amount >= 0 else None


def _is_small(source: exp.Expr) -> bool:
    if isinstance(source, exp.Lateral):
        return True
    if isinstance(source, exp.Values):
        return len(source.expressions) <= SMALL_ROWS
    if isinstance(source, exp.Subquery):
        return _query_is_small(source.this)
    if isinstance(source, exp.Table) and not source.args.get("db"):
        cte = _cte_named(source, source.name.lower())
        return cte is not None and _query_is_small(cte.this)
    return False


def _query_is_small(query: exp.Expr) -> bool:
    if isinstance(query, exp.Values | exp.Subquery):
        return _is_small(query)
    if not isinstance(query, exp.Select):
        return False
    limit = query.args.get("limit")
    if limit is not None:
        value = limit.expression
        if isinstance(value, exp.Literal) and value.is_int and int(value.name) <= SMALL_ROWS:
            return True
    if (
        query.args.get("group") is None
        and query.expressions
        and all(
            any(isinstance(n, exp.AggFunc) for n in projection.walk()) for projection in query.expressions
        )
    ):
        return True  # one row: an aggregate with no GROUP BY
    from_ = query.args.get("from_")
    if from_ is None and not query.args.get("joins"):
        return True  # SELECT 1 AS one: one row
    return (
        isinstance(from_, exp.From)
        and not query.args.get("joins")
        and query.args.get("group") is None
        and _is_small(from_.this)
    )


def _cte_named(table: exp.Table, name: str) -> exp.CTE | None:
    """The CTE `name` refers to from where `table` stands: the nearest enclosing WITH defining it."""
    node: exp.Expr | None = table.parent
    while node is not None:
        with_ = node.args.get("with_") if isinstance(node, exp.Query) else None
        if isinstance(with_, exp.With):
            for cte in with_.expressions:
                if isinstance(cte, exp.CTE) and cte.alias_or_name.lower() == name:
                    return cte
        node = node.parent
    return None
