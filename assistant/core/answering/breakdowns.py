"""Which dimensions a metric is usually broken down by, chosen by semantic role, not by name.

A dbt project declares roles in `meta: {mercurios: {role: location | product | customer | channel}}`
on dimensions or entities (read by the catalog). Drill-downs ("why?"), follow-up suggestions and
example questions take the reachable dimensions of those roles, in this order; a project that
declares no dimension role at all still gets its reachable categorical dimensions. Within a role
the dimension declared `primary: true` comes first, then the one that names an entity ("by store" =
the store's name).
"""

from __future__ import annotations

from assistant.core.planning.offline.lexicon import entity_name_dimension
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

BREAKDOWN_ROLES = ("location", "product", "channel", "customer")


def _is_flag(dim: DimensionInfo) -> bool:
    return dim.name.split("__")[-1].startswith(("is_", "has_"))


def _ranked(catalog: Catalog, dims: list[DimensionInfo]) -> list[DimensionInfo]:
    names = {entity_name_dimension(catalog, d.entity) for d in dims if d.entity}
    return sorted(dims, key=lambda d: (not d.primary, d.name not in names, catalog.dimensions.index(d)))


def breakdown_dimensions(
    catalog: Catalog, metric: MetricInfo | None, *, per_role: int = 1
) -> list[DimensionInfo]:
    """Up to `per_role` dimensions of each breakdown role that `metric` can be grouped by (all
    roles when `metric` is None), role by role."""
    reachable = set(metric.dimensions) if metric is not None else None
    if not catalog.declares_roles:
        plain = [
            d
            for d in catalog.dimensions
            if d.type == "categorical" and not _is_flag(d) and (reachable is None or d.name in reachable)
        ]
        return _ranked(catalog, plain)[: per_role * len(BREAKDOWN_ROLES)]
    out: list[DimensionInfo] = []
    for role in BREAKDOWN_ROLES:
        out += _ranked(catalog, catalog.dimensions_with_role(role, reachable=reachable))[:per_role]
    return out


def breakdown_phrase(catalog: Catalog, dim: DimensionInfo) -> str:
    """How a person says the breakdown: the entity for its name dimension ("store" for the store's
    name), else the dimension's label ("origin region"), lower-cased."""
    if dim.entity and entity_name_dimension(catalog, dim.entity) == dim.name:
        return dim.entity.replace("_", " ")
    return in_sentence(dim.label)


def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: 'Room revenue' → 'room revenue'; acronyms keep their
    case ('ADR', 'RevPAR', 'F&B revenue')."""
    words = label.split(" ")
    first = words[0]
    if len(first) > 1 and not first[1:].islower():
        return label
    return " ".join([first.lower(), *words[1:]])
