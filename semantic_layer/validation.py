"""Check a `SemanticQuery` against the catalog before MetricFlow sees it.

MetricFlow's own errors are correct but long; a user (or an LLM planner's repair loop) needs one
line that names the wrong word and the nearest right ones. Everything that passes here is
resolved into the exact names MetricFlow expects (`metric_time__month`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from semantic_layer.catalog import Catalog, DimensionInfo
from semantic_layer.errors import (
    InvalidGrainError,
    InvalidQueryError,
    UnknownDimensionError,
    UnknownMetricError,
    UnreachableDimensionError,
)
from semantic_layer.query import Grain, SemanticQuery


@dataclass(frozen=True)
class ResolvedGroupBy:
    """A group-by item as asked (`metric_time`) and as MetricFlow names it (`metric_time__month`)."""

    asked: str
    name: str  # dimension or entity name without grain
    grain: Grain | None  # set for time dimensions
    is_entity: bool = False

    @property
    def mf_name(self) -> str:
        return f"{self.name}__{self.grain.value}" if self.grain is not None else self.name


@dataclass(frozen=True)
class ResolvedQuery:
    query: SemanticQuery
    group_by: tuple[ResolvedGroupBy, ...]
    time_filters: frozenset[str]  # filter dimensions that are time dimensions
    day_grain_available: bool  # every metric can be read by metric_time__day
    # entities filtered 'is not null' (the facts that have one: sales with a known customer)
    entity_filters: frozenset[str] = frozenset()

    def output_name(self, asked: str) -> str:
        """The output column for a name used in order_by (a metric or an asked group-by)."""
        for item in self.group_by:
            if asked in (item.asked, item.mf_name):
                return item.mf_name
        return asked


def suggest(word: str, candidates: Iterable[tuple[str, str]], *, n: int = 3) -> list[str]:
    """Names whose name, label or synonym is close to `word` (candidates are (alias, name) pairs)."""
    pairs = list(candidates)
    lowered: dict[str, list[str]] = {}
    for alias, name in pairs:
        lowered.setdefault(alias.lower(), []).append(name)
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for match in matches:
        for name in lowered[match]:
            if name not in out:
                out.append(name)
    return out[:n]


def _did_you_mean(names: list[str]) -> str:
    return f" — did you mean {' or '.join(names)}?" if names else ""


def _metric_aliases(catalog: Catalog) -> Iterable[tuple[str, str]]:
    for m in catalog.metrics:
        yield m.name, m.name
        yield m.label, m.name
        for s in m.synonyms:
            yield s, m.name


def _dimension_aliases(dims: Iterable[DimensionInfo]) -> Iterable[tuple[str, str]]:
    for d in dims:
        yield d.name, d.name
        yield d.name.split("__")[-1], d.name
        yield d.label, d.name
        for s in d.synonyms:
            yield s, d.name


def _split_grain(name: str) -> tuple[str, Grain | None]:
    head, sep, tail = name.rpartition("__")
    if sep and tail in {g.value for g in Grain}:
        return head, Grain(tail)
    return name, None


# a compared query's change columns (see comparisons.py), which it may be ordered by
CHANGE_SUFFIXES = ("__change", "__change_pct")


def validate(query: SemanticQuery, catalog: Catalog, *, comparison: bool = False) -> ResolvedQuery:
    """Resolve every name in `query` or raise a UserError that says what to write instead. A query
    run `comparison` may also be ordered by its metrics' change columns ('the biggest drop')."""
    metrics = []
    for name in query.metrics:
        metric = catalog.metric(name)
        if metric is None:
            raise UnknownMetricError(
                f"unknown metric {name!r}{_did_you_mean(suggest(name, _metric_aliases(catalog)))}"
            )
        metrics.append(metric)
    if len(set(query.metrics)) != len(query.metrics):
        raise InvalidQueryError("a metric is listed twice")
    common = set.intersection(*(set(m.dimensions) for m in metrics))
    common_entities = set.intersection(*(set(m.entities) for m in metrics))
    metric_names = ", ".join(m.name for m in metrics)

    def resolve_dimension(asked: str, grain: Grain | None) -> DimensionInfo:
        info = catalog.dimension(asked)
        if info is None:
            hint = _did_you_mean(suggest(asked, _dimension_aliases(catalog.dimensions)))
            raise UnknownDimensionError(f"unknown dimension {asked!r}{hint}")
        if info.name not in common:
            options = ", ".join(sorted(common)) or "nothing"
            raise UnreachableDimensionError(
                f"{metric_names} cannot be broken down by {asked!r}; available: {options}"
            )
        return info

    resolved: list[ResolvedGroupBy] = []
    for asked in query.group_by:
        if catalog.entity(asked) is not None and catalog.dimension(asked) is None:
            if asked not in common_entities:
                raise UnreachableDimensionError(f"{metric_names} cannot be broken down by entity {asked!r}")
            resolved.append(ResolvedGroupBy(asked=asked, name=asked, grain=None, is_entity=True))
            continue
        base, grain = _split_grain(asked)
        if grain is None or catalog.dimension(base) is None:
            base, grain = asked, None
        info = resolve_dimension(base, grain)
        if info.type == "time":
            grain = grain or query.time_grain
            for m in metrics:
                if base == "metric_time" and grain not in m.grains:
                    valid = ", ".join(g.value for g in m.grains)
                    raise InvalidGrainError(
                        f"{m.name} is not available by {grain.value}; use one of: {valid}"
                    )
            if info.grain is not None and grain.rank < info.grain.rank:
                raise InvalidGrainError(
                    f"{base} is recorded by {info.grain.value}; it cannot be split by {grain.value}"
                )
        elif grain is not None:
            raise InvalidGrainError(f"{base} is not a time dimension and takes no grain")
        resolved.append(ResolvedGroupBy(asked=asked, name=base, grain=grain))
    if len({r.mf_name for r in resolved}) != len(resolved):
        raise InvalidQueryError("a group-by is listed twice")

    time_filters, entity_filters = set(), set()
    for flt in query.filters:
        if catalog.entity(flt.dimension) is not None and catalog.dimension(flt.dimension) is None:
            # an entity is filtered only to the facts that have one ('net sales per active customer')
            if flt.operator != "is not null" or flt.dimension not in common_entities:
                raise UnreachableDimensionError(
                    f"{metric_names} cannot be filtered by entity {flt.dimension!r}"
                )
            entity_filters.add(flt.dimension)
            continue
        info = resolve_dimension(flt.dimension, None)
        if info.type == "time":
            time_filters.add(info.name)

    outputs = {*query.metrics, *(r.asked for r in resolved), *(r.mf_name for r in resolved)}
    if comparison:
        outputs |= {f"{m}{suffix}" for m in query.metrics for suffix in CHANGE_SUFFIXES}
    for order in query.order_by:
        if order.name not in outputs:
            raise InvalidQueryError(
                f"cannot order by {order.name!r}: order by one of the query's metrics or group-bys "
                f"({', '.join(sorted(outputs))})"
            )
    return ResolvedQuery(
        query=query,
        group_by=tuple(resolved),
        time_filters=frozenset(time_filters),
        entity_filters=frozenset(entity_filters),
        day_grain_available=all(Grain.DAY in m.grains for m in metrics),
    )
