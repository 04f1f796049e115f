"""A result table seen through the plan: which column is which metric, dimension or period.

MetricFlow names output columns after the query (`<entity>__<dimension>`, `metric_time__week`,
`<metric>`); comparisons add `<metric>__previous`, `<metric>__change` and `<metric>__change_pct`,
shares add `<metric>__share`. Every answer part (narrative, table, chart, grounding) reads the
result through this one view instead of guessing column roles again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.core.planning.offline.flag_sides import no_side_name
from assistant.core.planning.offline.paths import attribute
from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

PREVIOUS, CHANGE, CHANGE_PCT, SHARE = "__comparison", "__change", "__change_pct", "__share"
TOTAL = "__total"  # a share's whole (semantic_layer.comparisons.TOTAL_SUFFIX)


@dataclass(frozen=True)
class ResultView:
    plan: MetricPlan
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    metrics: tuple[MetricInfo, ...]
    labels: Mapping[str, str]  # column → human label
    truncated: bool = False
    scope: str = ""  # the question's filters in words: "for Hamburg, excluding online"
    without_value: int = 0  # groups left out because every metric was undefined for them
    # a yes/no breakdown's rows named in words: column → (the yes row's name, the no row's name)
    sides: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def build(
        cls,
        plan: MetricPlan,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        catalog: Catalog,
        *,
        truncated: bool = False,
    ) -> ResultView:
        metrics = tuple(m for name in plan.query.metrics if (m := catalog.metric(name)) is not None)
        labels: dict[str, str] = {}
        for col in columns:
            labels[col] = _label(col, catalog)
        kept = [tuple(r) for r in rows]
        sides = _sides(plan, columns, kept, catalog)
        grouped = any(g != "metric_time" for g in plan.query.group_by)
        metric_idx = [i for i, c in enumerate(columns) if c.lower() in {m.name.lower() for m in metrics}]
        if grouped and metric_idx:
            # A group whose metrics are all undefined (sales per sqm of the online shop, a margin %
            # without sales) has no answer to give: leave it out and say so, rather than rank a NULL.
            kept = [r for r in kept if any(r[i] is not None for i in metric_idx)]
        return cls(
            plan=plan,
            columns=tuple(columns),
            rows=tuple(kept),
            metrics=metrics,
            labels=labels,
            truncated=truncated,
            scope=scope_phrase(plan, catalog),
            without_value=len(rows) - len(kept),
            sides=sides,
        )

    def named(self, column: str, value: object) -> object:
        """A cell as a reader says it: a yes/no breakdown's True and False by its two sides' names
        ('Weekend night', 'Weekday night'); any other value as it is. The rows keep the values."""
        sides = self.sides.get(column)
        if sides is not None and isinstance(value, bool):
            return sides[0] if value else sides[1]
        return value

    def index(self, column: str) -> int | None:
        lowered = [c.lower() for c in self.columns]
        return lowered.index(column.lower()) if column.lower() in lowered else None

    def values(self, column: str) -> list[object]:
        i = self.index(column)
        return [] if i is None else [row[i] for row in self.rows]

    @property
    def time_column(self) -> str | None:
        return next((c for c in self.columns if c.lower().startswith("metric_time")), None)

    @property
    def dimension_columns(self) -> list[str]:
        metric_cols = {m.name.lower() for m in self.metrics}
        return [
            c
            for c in self.columns
            if c.lower() not in metric_cols
            and not c.lower().startswith("metric_time")
            and not any(c.lower().endswith(s) for s in (PREVIOUS, CHANGE, CHANGE_PCT, SHARE, TOTAL))
        ]

    def fmt(self, column: str) -> str | None:
        """The display format of a column: the metric's, percent for shares and % changes."""
        lowered = column.lower()
        if lowered.endswith((CHANGE_PCT, SHARE)):
            return "percent"
        base = lowered.removesuffix(PREVIOUS).removesuffix(CHANGE).removesuffix(TOTAL)
        metric = next((m for m in self.metrics if m.name.lower() == base), None)
        return metric.format if metric is not None else None


def _sides(
    plan: MetricPlan, columns: Sequence[str], rows: Sequence[tuple[object, ...]], catalog: Catalog
) -> dict[str, tuple[str, str]]:
    """The yes/no breakdowns among `columns` (every value a bool), each with its two rows' names:
    'Weekend night' and 'Weekday night', 'Complimentary stay' and 'Not complimentary stay' — a
    table, chart and sentence that say 'True' and 'False' say nothing a reader can use."""
    out: dict[str, tuple[str, str]] = {}
    grouped = {g.lower() for g in plan.query.group_by}
    for k, col in enumerate(columns):
        dim = catalog.dimension(col.lower())
        values = [r[k] for r in rows if r[k] is not None]
        if dim is None or col.lower() not in grouped or not values:
            continue
        if all(isinstance(v, bool) for v in values):
            out[col] = (dim.label, no_side_name(dim))
    return out


def _label(column: str, catalog: Catalog) -> str:
    lowered = column.lower()
    for suffix, words in (
        (CHANGE_PCT, "change %"),
        (PREVIOUS, "previous"),
        (CHANGE, "change"),
        (SHARE, "share"),
        (TOTAL, "total"),
    ):
        if lowered.endswith(suffix):
            return f"{_label(column[: -len(suffix)], catalog)} ({words})"
    metric = catalog.metric(lowered)
    if metric is not None:
        return metric.label
    if lowered.startswith("metric_time"):
        grain = lowered.split("__")[1] if "__" in lowered else "day"
        return {"day": "Date", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}.get(
            grain, "Date"
        )
    dim = catalog.dimension(lowered)
    return (
        _whose(dim, catalog) if dim is not None else column.replace("__", " ").replace("_", " ").capitalize()
    )


def _whose(dim: DimensionInfo, catalog: Catalog) -> str:
    """A column read through several roles (one party table's name as the carrier's, the
    consignee's, the shipper's) headed by whose it is: 'Carrier', 'Consignee city', 'Origin depot' —
    a table headed 'Name' does not say whose names these are. Any other column: its label."""
    if not dim.path:
        return dim.label
    roles = {d.path[-1] for d in catalog.dimensions if d.path and attribute(d) == attribute(dim)}
    if len(roles) < 2:
        return dim.label
    role = dim.path[-1].replace("_", " ")
    label = dim.label.lower()
    if label == "name" or set(label.split()) <= set(role.split()):
        return role.capitalize()
    return f"{role.capitalize()} {label}"


def scope_phrase(plan: MetricPlan, catalog: Catalog) -> str:
    """Filters as a reader says them: 'for Hamburg and Berlin, excluding online, returns only'."""
    parts: list[str] = []
    for f in plan.query.filters:
        if f.operator == "is not null":  # a ranking's rows that have a value: said by the ranking
            continue
        if f.operator == "between" and tuple(f.values) == (plan.period.start, plan.period.end):
            continue  # the period on another date than the figure's own: said by the period's label
        dim = catalog.dimension(f.dimension)
        label = (dim.label if dim else f.dimension).lower()
        if f.values and isinstance(f.values[0], bool):
            positive = f.values[0] == (f.operator in ("=", "in"))
            noun = label.removeprefix("is ").removeprefix("has ")
            noun = noun if noun.endswith("s") else noun + "s"
            parts.append(f"{noun} only" if positive else f"excluding {noun}")
            continue
        values = " and ".join(str(v) for v in f.values)
        if f.operator in ("!=", "not in"):
            parts.append(f"excluding {values}")
        elif f.operator in ("=", "in"):
            parts.append(f"for {values}")
        else:
            parts.append(f"{label} {f.operator} {values}")
    return ", ".join(parts)
