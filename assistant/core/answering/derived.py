"""Explicit ratios no metric defines ("claimed amount per claim", "F&B revenue per occupied room
night"): the two metrics come back from one query at the same grain — the same groups, filters and
period — and are divided row by row here. The ratio becomes a column of its own with a metric-like
entry, so the narrative, table and chart treat it like any metric, and the answer says it is derived.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence

from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog, MetricInfo


def ratio_name(plan: MetricPlan) -> str | None:
    d = plan.derived
    return None if d is None else f"{d.numerator}_per_{d.denominator}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | decimal.Decimal):
        return float(value)
    return None


def with_ratio(
    plan: MetricPlan, columns: Sequence[str], rows: Sequence[Sequence[object]], catalog: Catalog
) -> tuple[MetricPlan, Catalog, tuple[str, ...], list[tuple[object, ...]]]:
    """The plan, catalog, columns and rows as the answer shows them: the ratio column added (first
    of the figures), ranked and cut when the question ranked it."""
    d = plan.derived
    name = ratio_name(plan)
    num, den = catalog.metric(d.numerator) if d else None, catalog.metric(d.denominator) if d else None
    if d is None or name is None or num is None or den is None:
        return plan, catalog, tuple(columns), [tuple(r) for r in rows]
    lowered = [c.lower() for c in columns]
    if d.numerator not in lowered or d.denominator not in lowered:
        return plan, catalog, tuple(columns), [tuple(r) for r in rows]
    ni, di = lowered.index(d.numerator), lowered.index(d.denominator)
    at = min(ni, di)
    # 'revenue per shipment in Q3 compared with Q3 last year': the ratio of the compared period too,
    # from the two figures' own comparison columns, and its change
    compared = (f"{d.numerator}__comparison", f"{d.denominator}__comparison")
    nci, dci = (lowered.index(c) if c in lowered else None for c in compared)
    out: list[tuple[object, ...]] = []
    for row in rows:
        value = _ratio(row[ni], row[di])
        if nci is None or dci is None:
            out.append((*row[:at], value, *row[at:]))
            continue
        before = _ratio(row[nci], row[dci])
        change = value - before if value is not None and before is not None else None
        pct = change / abs(before) if change is not None and before else None
        out.append((*row[:at], value, before, change, pct, *row[at:]))
    if d.descending is not None:
        present = [r for r in out if r[at] is not None]
        missing = [r for r in out if r[at] is None]
        present.sort(key=lambda r: float(r[at]), reverse=d.descending)  # type: ignore[arg-type]
        out = present + missing
    if d.limit is not None:
        out = out[: d.limit]
    label = (
        f"{num.label} as % of {den.label.lower()}"
        if d.percent
        else f"{num.label} per {_singular_label(den.label)}"
    )
    info = MetricInfo(
        name=name,
        label=label,
        description=f"Derived: {num.label} ÷ {den.label}, from two metric queries of the same grain.",
        synonyms=(),
        type="derived",
        # money per unit ('net sales per unit sold': a price) is money; anything else a plain number
        format="percent"
        if d.percent
        else ("currency" if num.format == "currency" and den.format != "currency" else None),
        unit=None,
        dimensions=tuple(sorted(set(num.dimensions) & set(den.dimensions))),
        entities=(),
        grains=num.grains,
    )
    view_plan = plan.model_copy(
        update={"query": plan.query.model_copy(update={"metrics": (name, *plan.query.metrics)})}
    )
    view_catalog = catalog.model_copy(update={"metrics": (*catalog.metrics, info)})
    added = (name,) if nci is None or dci is None else (name, *(f"{name}__{s}" for s in _COMPARED))
    return view_plan, view_catalog, (*columns[:at], *added, *columns[at:]), out


_COMPARED = ("comparison", "change", "change_pct")


def _ratio(a: object, b: object) -> float | None:
    x, y = _number(a), _number(b)
    return x / y if x is not None and y is not None and y != 0.0 else None


def _singular_label(label: str) -> str:
    """'Occupied room-nights' → 'occupied room-night' (only a plural last word changes)."""
    words = label.split()
    plural = [k for k, w in enumerate(words) if w.endswith("s") and not w.endswith("ss")]
    # the last word, else the noun a participle follows ('Units sold' → 'unit sold')
    k = len(words) - 1 if plural and plural[-1] == len(words) - 1 else (plural[0] if plural else None)
    if k is not None:
        words[k] = words[k][:-1]
    return " ".join(words).lower()


def derived_note(plan: MetricPlan, catalog: Catalog) -> str:
    d = plan.derived
    if d is None:
        return ""
    num, den = catalog.metric(d.numerator), catalog.metric(d.denominator)
    if num is None or den is None:
        return ""
    return (
        f" (Derived: {num.label} ÷ {den.label}, computed from two metric queries of the same grain — "
        "no metric in your semantic layer defines it.)"
    )
