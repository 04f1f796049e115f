"""The empty group of a breakdown reached through an entity join, left out of the table and said.

Grouping sales by a customer's segment joins the customers to the sales; a sale with no customer (an
anonymous walk-in) has no segment, and the result gets a row with no name. People asking "by
segment" mean the segments: the row is left out of the table, and the answer says what it held
("Not shown: net sales without a known customer segment, €83,690.92."), so nothing is hidden.
Only dimensions of another semantic model than the metric's own are treated so, and only when that
model's own table never leaves the dimension empty (checked once per tenant and data version): an
empty value of the fact's own column (a sale with no channel) or of the partner's (the online shop
has no region) is a fact of the data and stays a row.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable

from assistant.core.answering.formatting import format_value
from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.facade import ExecutedQuery


def joined_breakdowns(plan: MetricPlan, catalog: Catalog) -> list[tuple[str, str]]:
    """(name, label) of the plan's categorical breakdowns that live in another semantic model."""
    metric = catalog.metric(plan.query.metrics[0]) if plan.query.metrics else None
    if metric is None or not metric.models:
        return []
    joined = []
    for name in plan.query.group_by:
        dim = catalog.dimension(name)
        if (
            dim is not None
            and dim.type == "categorical"
            and dim.model is not None
            and dim.model not in metric.models
        ):
            joined.append((name, dim.label))
    return joined


def widened(plan: MetricPlan, catalog: Catalog) -> MetricPlan:
    """The plan to run: one row more than a limited breakdown asks for, as the empty row may be
    among the first (`without_unknown_groups` cuts back to the limit)."""
    limit = plan.query.limit
    if limit is None or not joined_breakdowns(plan, catalog):
        return plan
    return plan.model_copy(update={"query": plan.query.model_copy(update={"limit": limit + 1})})


def without_unknown_groups(
    plan: MetricPlan,
    executed: ExecutedQuery,
    catalog: Catalog,
    *,
    empty_in_table: Callable[[str], bool],
    locale: str,
    currency: str,
) -> tuple[ExecutedQuery, str]:
    """The result without the rows whose joined breakdown is empty because the fact has no partner
    there, and the sentence saying so; cut to the plan's limit (it ran `widened`). A dimension whose
    own table leaves it empty on some rows (`empty_in_table`: the online shop has no region) keeps
    its empty row: that is a value of the data, not a missing partner."""
    breakdowns = joined_breakdowns(plan, catalog)
    metric = catalog.metric(plan.query.metrics[0]) if plan.query.metrics else None
    if not breakdowns or metric is None:
        return executed, ""
    result = executed.result
    names = [c.lower() for c in result.column_names]
    limit = plan.query.limit
    present = [(n, label) for n, label in breakdowns if n.lower() in names]
    empty_rows = {n for n, _ in present if any(r[names.index(n.lower())] is None for r in result.rows)}
    joined = [
        (names.index(n.lower()), label)
        for n, label in present
        if n in empty_rows and n.count("__") == 1 and not empty_in_table(n)
    ]
    if not joined:
        return _cut(executed, limit), ""
    kept = tuple(r for r in result.rows if all(r[i] is not None for i, _ in joined))
    dropped = [r for r in result.rows if any(r[i] is None for i, _ in joined)]
    if not dropped or not kept:  # nothing empty, or nothing else: the table stays as it is
        return _cut(executed, limit), ""
    label = next(lab for i, lab in joined if any(r[i] is None for r in dropped))
    value_col = names.index(metric.name.lower()) if metric.name.lower() in names else None
    amount = ""
    if value_col is not None:
        values = [r[value_col] for r in dropped]
        numbers = [v for v in values if isinstance(v, int | float | decimal.Decimal)]
        if len(values) == 1 and numbers:
            amount = format_value(numbers[0], metric.format, locale=locale, currency=currency)
        elif metric.additive and len(numbers) == len(values):
            total = sum((decimal.Decimal(str(v)) for v in numbers), decimal.Decimal(0))
            amount = format_value(total, metric.format, locale=locale, currency=currency)
    note = f" Not shown: {_lower_first(metric.label)} without a known {_lower_first(label)}"
    note += f", {amount}." if amount else "."
    trimmed = dataclasses.replace(result, rows=kept)
    return _cut(dataclasses.replace(executed, result=trimmed), limit), note


def _cut(executed: ExecutedQuery, limit: int | None) -> ExecutedQuery:
    if limit is None or len(executed.result.rows) <= limit:
        return executed
    return dataclasses.replace(
        executed, result=dataclasses.replace(executed.result, rows=executed.result.rows[:limit])
    )


def _lower_first(label: str) -> str:
    """'Customer segment (RFM)' → 'customer segment (RFM)'; an acronym ('RFM segment') stays."""
    head = label.split(" ", 1)[0]
    return label if head.isupper() and len(head) > 1 else label[:1].lower() + label[1:]
