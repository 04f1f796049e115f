"""The catalog: what can be asked (metrics, dimensions, entities), with words for each.

Built once from the semantic manifest, read-only, serialisable to JSON — the planner, retrieval
indexing and `GET /v1/catalog` all read the same object. Dimension *values* are per tenant and
live elsewhere (`dimension_values.py`) because they need the warehouse and the guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from semantic_layer.errors import SemanticProjectError
from semantic_layer.project import MF_LOCK, SemanticProject
from semantic_layer.query import Grain

if TYPE_CHECKING:  # the catalog is read far more often than built: MetricFlow loads only to build it
    from metricflow.engine.models import Dimension

_MF_GRAINS = {g.value for g in Grain}


class DimensionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str  # queryable, e.g. `account__country`, `metric_time`
    label: str
    description: str
    synonyms: tuple[str, ...]
    type: Literal["categorical", "time"]
    entity: str | None  # the entity it hangs off (`account`); None for `metric_time`
    grain: Grain | None = None  # finest grain of a time dimension
    # meta.mercurios.role: what the dimension is to the planner (location, product, channel, …)
    role: str | None = None
    # meta.mercurios.primary: the dimension people break its role down by first (a retailer's
    # products by category before brand); without it, the entity's name dimension, then by name
    primary: bool = False
    # meta.mercurios.value_synonyms: other words people use for a stored value ({online: [webshop]})
    value_synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # meta.mercurios.short_label: a shorter name for tight places (a digest's driver list: "channel")
    short_label: str | None = None
    # Where the column lives: the semantic model and the dimension's own name there. Two names with
    # the same (model, element) read the same column over different entity paths
    # (`depot__region`, `lane__origin_depot__region`): one attribute, several roles.
    model: str | None = None
    element: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        """The entity links from the metric's model to the dimension (`('lane', 'origin_depot')`)."""
        return tuple(self.name.split("__")[:-1])


class EntityInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    label: str = ""
    synonyms: tuple[str, ...] = ()
    # meta.mercurios.role of the entity: its categorical dimensions take it unless they name their own
    role: str | None = None


class MetricInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    description: str
    synonyms: tuple[str, ...]
    type: str  # simple | ratio | derived | cumulative | conversion
    format: str | None
    unit: str | None
    dimensions: tuple[str, ...]  # queryable dimension names (time ones without a grain suffix)
    entities: tuple[str, ...]
    grains: tuple[Grain, ...]  # valid grains of metric_time
    # meta.mercurios.role: money | quantity | count | rate …; `counts` names the entity a count
    # metric counts ("how many customers"), `default` marks the project's headline metric
    role: str | None = None
    counts: str | None = None
    # a count of every row of the entity it counts (a COUNT with no filter): 'Bookings' of the
    # reservations, not 'Arrivals' (the ones that checked in, a sum of 1/0)
    counts_every: bool = False
    default: bool = False
    # meta.mercurios.kpi: what the metric is to insights and digests (sales, purchases, basket,
    # units, margin_rate, return_share …; see assistant/core/insights/roles.py), one metric a kpi
    kpi: str | None = None
    # meta.mercurios.short_label: a shorter name for tight places (a digest's headline block)
    short_label: str | None = None
    # Descriptions and labels of what the metric is computed from (its measures, their semantic
    # models): more words to link a question to it when its own name and label do not match.
    context: tuple[str, ...] = ()
    # True when the metric's values may be summed across groups and periods (a simple SUM or COUNT
    # with no non-additive dimension): a week-by-store table then has meaningful store totals.
    # Ratios, distinct counts and stock levels are not: their answers speak of averages instead.
    additive: bool = False
    # The semantic models its measures live in: a dimension of another model is reached through an
    # entity join, and a row with no partner there (a sale without a customer) has no value for it.
    models: tuple[str, ...] = ()
    # The date dimension the metric's own period is on (its measures' agg_time_dimension, as the
    # catalog names it: 'reservation__booked_date'); metric_time is that date. None when its
    # measures are aggregated on different dates (a ratio of two models).
    time_dimension: str | None = None
    # The figure this one is the part of: a derived difference `whole - rest` of two metrics
    # (late deliveries = delivered shipments - on-time deliveries). 'What share were late' divides
    # the part by it.
    part_of: str | None = None
    # The figures this one is the sum of: a derived `a + b [+ c …]` of metrics taken under their own
    # names (total revenue = room revenue + ancillary revenue). 'rooms and extras separately and
    # together' asks them beside it; 'rooms plus everything else' says it again.
    parts: tuple[str, ...] = ()
    # The figures of the same rows this count is a part of by its definition: a 1/0 sum of one
    # status ('RTS') of a model whose other count takes every status but another ('<> CXL'), or
    # counts every row. 'Return-to-sender rate' divides by such a whole (see offline/ratios).
    within: tuple[str, ...] = ()
    # A ratio's two figures (a ratio metric's numerator and denominator; a derived metric written
    # `a / b` or `1000 * a / b` of two unfiltered inputs): a filter reaching only the numerator's
    # facts leaves the denominator's other rows out (see semantic_layer.partners).
    numerator: str | None = None
    denominator: str | None = None


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    metrics: tuple[MetricInfo, ...]
    dimensions: tuple[DimensionInfo, ...]
    entities: tuple[EntityInfo, ...]

    def metric(self, name: str) -> MetricInfo | None:
        return next((m for m in self.metrics if m.name == name), None)

    def dimension(self, name: str) -> DimensionInfo | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def entity(self, name: str) -> EntityInfo | None:
        return next((e for e in self.entities if e.name == name), None)

    def metric_for(self, kpi: str) -> MetricInfo | None:
        """The metric declaring `mercurios: {kpi: <kpi>}` (None: the project declares none)."""
        return next((m for m in self.metrics if m.kpi == kpi), None)

    @property
    def declared_default(self) -> MetricInfo | None:
        """The metric declaring `mercurios: {default: true}`, if any: the only default a planner may
        fall back to (a guessed one would answer questions nobody asked)."""
        return next((m for m in self.metrics if m.default), None)

    def default_metric(self) -> MetricInfo | None:
        """The project's headline metric: the one declaring `mercurios: {default: true}`, else the
        first money (or currency-formatted) metric, else the first simple one (examples, help texts)."""
        return (
            next((m for m in self.metrics if m.default), None)
            or next((m for m in self.metrics if m.role == "money"), None)
            or next((m for m in self.metrics if m.format == "currency"), None)
            or next((m for m in self.metrics if m.type == "simple"), None)
            or next(iter(self.metrics), None)
        )

    def dimensions_with_role(
        self, role: str, *, reachable: Iterable[str] | None = None
    ) -> list[DimensionInfo]:
        """Categorical dimensions playing `role` (location, product, customer, channel …), in
        catalog order, optionally only those in `reachable` (a metric's dimensions)."""
        allowed = set(reachable) if reachable is not None else None
        return [
            d
            for d in self.dimensions
            if d.role == role and d.type == "categorical" and (allowed is None or d.name in allowed)
        ]

    @property
    def declares_roles(self) -> bool:
        """Whether the project declares any dimension role (else callers fall back to plain order)."""
        return any(d.role for d in self.dimensions)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def _meta(config: object) -> dict[str, object]:
    meta = getattr(config, "meta", None)
    return dict(meta) if isinstance(meta, dict) else {}


def _synonyms(meta: dict[str, object]) -> tuple[str, ...]:
    raw = meta.get("synonyms")
    return tuple(str(s) for s in raw) if isinstance(raw, list) else ()


def _mercurios(meta: dict[str, object]) -> dict[str, object]:
    """The `mercurios` block of a node's meta: roles and words the planner reads (DESIGN.md:
    domain words live in the dbt project, core code reads roles)."""
    raw = meta.get("mercurios")
    return dict(raw) if isinstance(raw, dict) else {}


def _value_synonyms(block: dict[str, object]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = block.get("value_synonyms")
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (str(value), tuple(str(w) for w in words)) for value, words in raw.items() if isinstance(words, list)
    )


def _optional_str(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    return str(value) if value is not None else None


def _humanise(name: str) -> str:
    return name.split("__")[-1].replace("_", " ").capitalize()


def _dimension_info(dim: Dimension) -> DimensionInfo:
    from metricflow_semantic_interfaces.type_enums.dimension_type import DimensionType

    is_time = dim.type is DimensionType.TIME
    meta = _meta(dim.config)
    name = dim.dunder_name
    grain: Grain | None = None
    if is_time and dim.type_params is not None:
        value = dim.type_params.time_granularity.value
        grain = Grain(value) if value in _MF_GRAINS else None
    if name.startswith("metric_time"):
        return _METRIC_TIME
    return DimensionInfo(
        name=name,
        label=dim.label or _humanise(name),
        description=dim.description or "",
        synonyms=_synonyms(meta),
        type="time" if is_time else "categorical",
        entity=dim.entity_links[-1].element_name if dim.entity_links else None,
        grain=grain,
        role=_optional_str(_mercurios(meta), "role"),
        primary=_mercurios(meta).get("primary") is True,
        value_synonyms=_value_synonyms(_mercurios(meta)),
        short_label=_optional_str(_mercurios(meta), "short_label"),
        model=dim.semantic_model_reference.semantic_model_name if dim.semantic_model_reference else None,
        element=dim.name,
    )


_ADDITIVE_AGGREGATIONS = frozenset(("sum", "count", "sum_boolean"))


def _is_additive(metric: Any, measures: dict[str, Any]) -> bool:
    """A simple metric over a SUM/COUNT measure with no non-additive dimension (stock snapshots)."""
    if metric.type.value != "simple" or metric.type_params.measure is None:
        return False
    measure = measures.get(metric.type_params.measure.name)
    if measure is None or measure.non_additive_dimension is not None:
        return False
    return str(measure.agg.value).lower() in _ADDITIVE_AGGREGATIONS


_COUNT_AGGREGATIONS = frozenset(("count", "count_distinct"))
_ONE_OR_ZERO = re.compile(r"^\s*(?:1|case\s+when\s+.+\s+then\s+1\s+else\s+0\s+end)\s*$", re.I | re.S)


def _counted_entity(metric: Any, measures: dict[str, Any], models: dict[str, Any]) -> str | None:
    """The entity a simple count metric counts ("how many shipments"): a COUNT, or a SUM of 1/0, over
    rows of a model counts its primary entity (declare `counts` for a distinct count)."""
    if metric.type.value != "simple" or metric.type_params.measure is None:
        return None
    measure = measures.get(metric.type_params.measure.name)
    model = models.get(metric.type_params.measure.name)
    if measure is None or model is None:
        return None
    agg = str(measure.agg.value).lower()
    expr = (measure.expr or measure.name).strip()
    if agg == "count_distinct":
        # distinct guests, distinct shippers: 'how many guests arrived' is as often the arrivals as
        # the people — a distinct count is not inferred to be what 'how many <entity>' means
        return None
    if agg in _COUNT_AGGREGATIONS or (agg == "sum" and _ONE_OR_ZERO.match(expr)):
        primary = next((e for e in model.entities if e.type.value == "primary"), None)
        return primary.name if primary is not None else None
    return None


_NOT_NULL_ONE = re.compile(r"case\s+when\s+(.+?)\s+is\s+not\s+null\s+then\s+1\s+else\s+0\s+end", re.S)


def _counts_every_row(metric: Any, measures: dict[str, Any], models: dict[str, Any]) -> bool:
    """A simple COUNT of a model's rows with no filter: every member of its primary entity counted."""
    if metric.type.value != "simple" or metric.type_params.measure is None or metric.filter is not None:
        return False
    measure = measures.get(metric.type_params.measure.name)
    model = models.get(metric.type_params.measure.name)
    if measure is None or model is None or str(measure.agg.value).lower() not in ("count", "sum"):
        return False
    agg = str(measure.agg.value).lower()
    primary = next((e for e in model.entities if e.type.value == "primary"), None)
    expr = (measure.expr or "").strip().casefold()
    if agg == "sum":  # the manifest writes a COUNT(x) as SUM(CASE WHEN x IS NOT NULL THEN 1 ELSE 0 END)
        counted = _NOT_NULL_ONE.fullmatch(expr)
        if counted is None:
            return False
        expr = counted.group(1).strip()
    keys = {"", "1", "*", primary.name.casefold() if primary else ""}
    if primary is not None and primary.expr:
        keys.add(primary.expr.strip().casefold())
    return primary is not None and expr in keys


def _own_time_dimension(
    metric: Any, measures: dict[str, Any], models: dict[str, Any], reachable: set[str]
) -> str | None:
    """The date dimension metric_time is for this metric: its measures' agg_time_dimension (the
    measure's own, else its semantic model's default), named with the model's primary entity."""
    names: set[str] = set()
    for ref in metric.input_measures:
        measure, model = measures.get(ref.name), models.get(ref.name)
        if measure is None or model is None:
            return None
        dim = measure.agg_time_dimension or (model.defaults.agg_time_dimension if model.defaults else None)
        primary = next((e for e in model.entities if e.type.value == "primary"), None)
        if dim is None or primary is None:
            return None
        names.add(f"{primary.name}__{dim}")
    if len(names) != 1:
        return None
    (name,) = names
    return name if name in reachable else None


_QUOTIENT = re.compile(r"\s*(?:[\d.]+\s*\*\s*)?(\w+)\s*/\s*(\w+)\s*(?:\*\s*[\d.]+\s*)?")


def _ratio_sides(metric: Any) -> tuple[str | None, str | None]:
    """(numerator, denominator) of a ratio metric, or of a derived metric that is one input over
    another (a constant factor allowed: `1000 * claims_filed / shipments`), each taken under its own
    name; (None, None) for anything else."""
    params = metric.type_params
    if metric.type.value == "ratio" and params.numerator is not None and params.denominator is not None:
        if params.numerator.filter is not None or params.denominator.filter is not None:
            return None, None
        return str(params.numerator.name), str(params.denominator.name)
    found = _QUOTIENT.fullmatch(params.expr or "") if metric.type.value == "derived" else None
    inputs = {(i.alias or i.name): i for i in params.metrics or ()}
    if found is None or set(found.groups()) != set(inputs) or len(inputs) != 2:
        return None, None
    one, two = (inputs[n] for n in found.groups())
    if any(
        i.filter is not None or i.offset_window is not None or i.offset_to_grain is not None
        for i in (one, two)
    ):
        return None, None
    return str(one.name), str(two.name)


_DIFFERENCE = re.compile(r"\s*(\w+)\s*-\s*(\w+)\s*")


_ONE_STATUS = re.compile(r"case\s+when\s+(\w+)\s*(=|<>|!=)\s*'([^']*)'\s+then\s+1\s+else\s+0\s+end", re.I)


def _status_condition(
    metric: Any, measures: dict[str, Any], models: dict[str, Any]
) -> tuple[str, str, str, str] | None:
    """(model, column, operator, value) of a simple unfiltered metric summing 1 where a column is or is
    not one value: `case when StatusCode = 'RTS' then 1 else 0 end`."""
    if metric.type.value != "simple" or metric.type_params.measure is None or metric.filter is not None:
        return None
    measure = measures.get(metric.type_params.measure.name)
    model = models.get(metric.type_params.measure.name)
    if measure is None or model is None or str(measure.agg.value).lower() != "sum":
        return None
    found = _ONE_STATUS.fullmatch((measure.expr or "").strip())
    if found is None:
        return None
    op = "=" if found[2] == "=" else "<>"
    return model.name, found[1].casefold(), op, found[3]


def _wholes_by_definition(
    metric: Any, all_metrics: Sequence[Any], measures: dict[str, Any], models: dict[str, Any]
) -> tuple[str, ...]:
    """The counts of the same model that hold every row this one counts: one that counts every row,
    or one of 'status <> B' when this one is 'status = A' (A ≠ B). Nothing else is inferred."""
    own = _status_condition(metric, measures, models)
    if own is None or own[2] != "=":
        return ()
    wholes = []
    for other in all_metrics:
        if other.name == metric.name:
            continue
        if _counts_every_row(other, measures, models):
            model = models.get(other.type_params.measure.name) if other.type_params.measure else None
            if model is not None and model.name == own[0]:
                wholes.append(other.name)
            continue
        cond = _status_condition(other, measures, models)
        if cond is not None and cond[:2] == own[:2] and cond[2] == "<>" and cond[3] != own[3]:
            wholes.append(other.name)
    return tuple(wholes)


_SUM = re.compile(r"\s*\w+(?:\s*\+\s*\w+)+\s*")


def _parts_of_a_sum(metric: Any) -> tuple[str, ...]:
    """`room_revenue + ancillary_revenue`: the input metrics of a derived metric that is their plain
    sum, each under its own name (no filter, no offset), in the order the expression adds them."""
    params = metric.type_params
    if metric.type.value != "derived" or _SUM.fullmatch(params.expr or "") is None:
        return ()
    inputs = {(i.alias or i.name): i for i in params.metrics or ()}
    said = [w.strip() for w in (params.expr or "").split("+")]
    if set(said) != set(inputs) or len(said) != len(inputs):
        return ()
    plain = all(
        i.filter is None and i.offset_window is None and i.offset_to_grain is None for i in inputs.values()
    )
    if not plain:
        return ()
    return tuple(str(inputs[w].name) for w in said)


def _whole_of_a_difference(metric: Any) -> str | None:
    """`delivered_shipments - on_time_deliveries`: the first input metric of a derived metric that
    is one input less another, taken under its own name (not an offset or filtered one)."""
    params = metric.type_params
    found = _DIFFERENCE.fullmatch(params.expr or "") if metric.type.value == "derived" else None
    inputs = {(i.alias or i.name): i for i in params.metrics or ()}
    if found is None or set(found.groups()) != set(inputs) or len(inputs) != 2:
        return None
    whole = inputs[found.group(1)]
    if whole.filter is not None or whole.offset_window is not None or whole.offset_to_grain is not None:
        return None
    return str(whole.name)


def _metric_context(metric: Any, measures: dict[str, Any], models: dict[str, Any]) -> tuple[str, ...]:
    texts: list[str] = []
    for ref in metric.input_measures:
        measure = measures.get(ref.name)
        model = models.get(ref.name)
        if measure is not None:
            texts += [t for t in (measure.label, measure.description) if t]
        if model is not None:
            texts += [t for t in (model.label, model.description) if t]
    return tuple(dict.fromkeys(texts))


_METRIC_TIME = DimensionInfo(
    name="metric_time",
    label="Time",
    description="The metric's own time axis.",
    synonyms=("date", "period", "time"),
    type="time",
    entity=None,
    grain=Grain.DAY,
)


def project_catalog(project: SemanticProject) -> Catalog:
    """The project's catalog: from the project's disk cache when this manifest was read before
    (a millisecond), else built with MetricFlow (most of a second, cold) and kept there."""
    return Catalog.model_validate(
        project.cached_json("catalog.json", lambda: build_catalog(project).model_dump(mode="json"))
    )


def build_catalog(project: SemanticProject) -> Catalog:
    """Read metrics, their reachable dimensions/entities and valid grains from MetricFlow."""
    with MF_LOCK:
        return _build_catalog(project)


def _build_catalog(project: SemanticProject) -> Catalog:
    from metricflow_semantic_interfaces.references import MetricReference

    engine = project.engine("duckdb")
    metric_lookup = project.lookup.metric_lookup
    dims: dict[str, DimensionInfo] = {}
    metrics: list[MetricInfo] = []
    measures = {m.name: m for model in project.manifest.semantic_models for m in model.measures}
    models = {m.name: model for model in project.manifest.semantic_models for m in model.measures}
    for metric in sorted(project.manifest.metrics, key=lambda m: m.name):
        reachable = [_dimension_info(d) for d in engine.list_dimensions(metric_names=[metric.name])]
        if not any(d.name == "metric_time" for d in reachable):
            # MetricFlow omits metric_time for some ratio metrics; every metric has an agg time.
            reachable.append(_METRIC_TIME)
        for info in reachable:
            dims.setdefault(info.name, info)
        entity_names = sorted({e.name for e in engine.entities_for_metrics([metric.name])})
        min_grain = metric_lookup.get_min_queryable_time_granularity(MetricReference(metric.name)).value
        floor = Grain(min_grain).rank if min_grain in _MF_GRAINS else 0
        meta = _meta(metric.config)
        numerator, denominator = _ratio_sides(metric)
        metrics.append(
            MetricInfo(
                name=metric.name,
                label=metric.label or _humanise(metric.name),
                description=metric.description or "",
                synonyms=_synonyms(meta),
                type=metric.type.value,
                format=_optional_str(meta, "format"),
                unit=_optional_str(meta, "unit"),
                dimensions=tuple(sorted({d.name for d in reachable})),
                entities=tuple(entity_names),
                grains=tuple(g for g in Grain if g.rank >= floor),
                role=_optional_str(_mercurios(meta), "role"),
                counts=_optional_str(_mercurios(meta), "counts") or _counted_entity(metric, measures, models),
                counts_every=_counts_every_row(metric, measures, models),
                default=_mercurios(meta).get("default") is True,
                kpi=_optional_str(_mercurios(meta), "kpi"),
                short_label=_optional_str(_mercurios(meta), "short_label"),
                additive=_is_additive(metric, measures),
                part_of=_whole_of_a_difference(metric),
                parts=_parts_of_a_sum(metric),
                within=_wholes_by_definition(metric, project.manifest.metrics, measures, models),
                numerator=numerator,
                denominator=denominator,
                context=_metric_context(metric, measures, models),
                models=tuple(
                    sorted({models[r.name].name for r in metric.input_measures if r.name in models})
                ),
                time_dimension=_own_time_dimension(metric, measures, models, {d.name for d in reachable}),
            )
        )
    metrics = _shares_as_percent(metrics)
    entities: dict[str, EntityInfo] = {}
    for model in project.manifest.semantic_models:
        for ent in model.entities:
            known = entities.get(ent.name)
            synonyms = tuple(
                dict.fromkeys((*(known.synonyms if known else ()), *_synonyms(_meta(ent.config))))
            )
            if known is None or (ent.description and not known.description):
                entities[ent.name] = EntityInfo(
                    name=ent.name,
                    description=ent.description or "",
                    label=ent.label or (known.label if known else ""),
                    synonyms=synonyms,
                )
            else:
                entities[ent.name] = known.model_copy(update={"synonyms": synonyms})
    _entity_roles(project, entities)
    _check_default(metrics)
    _check_kpis(metrics)
    return Catalog(
        metrics=tuple(metrics),
        dimensions=tuple(sorted(_with_entity_roles(dims.values(), entities), key=lambda d: d.name)),
        entities=tuple(sorted(entities.values(), key=lambda e: e.name)),
    )


def _entity_roles(project: SemanticProject, entities: dict[str, EntityInfo]) -> None:
    """`meta: {mercurios: {role: …}}` on an entity (the first semantic model declaring one wins)."""
    for model in project.manifest.semantic_models:
        for ent in model.entities:
            role = _optional_str(_mercurios(_meta(ent.config)), "role")
            if role is not None and ent.name in entities and entities[ent.name].role is None:
                entities[ent.name] = entities[ent.name].model_copy(update={"role": role})


def _with_entity_roles(dims: Iterable[DimensionInfo], entities: dict[str, EntityInfo]) -> list[DimensionInfo]:
    """A categorical dimension without a role of its own plays its entity's role ("a depot is a
    location", declared once on the entity, covers the depot's city and region)."""
    out = []
    for d in dims:
        entity = entities.get(d.entity) if d.entity else None
        flag = d.name.split("__")[-1].startswith(("is_", "has_"))  # a yes/no, not a breakdown
        if d.role is None and d.type == "categorical" and not flag and entity is not None and entity.role:
            d = d.model_copy(update={"role": entity.role})
        out.append(d)
    return out


def _check_default(metrics: list[MetricInfo]) -> None:
    defaults = [m.name for m in metrics if m.default]
    if len(defaults) > 1:
        raise SemanticProjectError(
            f"more than one metric declares meta.mercurios.default: {', '.join(defaults)} (keep one)"
        )


def _check_kpis(metrics: list[MetricInfo]) -> None:
    seen: dict[str, str] = {}
    for m in metrics:
        if m.kpi is None:
            continue
        if m.kpi in seen:
            raise SemanticProjectError(
                f"two metrics declare meta.mercurios.kpi {m.kpi!r}: {seen[m.kpi]}, {m.name} (keep one)"
            )
        seen[m.kpi] = m.name


def _shares_as_percent(metrics: list[MetricInfo]) -> list[MetricInfo]:
    """A ratio without a declared format whose numerator and denominator count the same thing
    (on-time deliveries ÷ delivered shipments, occupied ÷ available room-nights) is a share: shown
    in percent ('85,0 %', not '0,85'). A ratio of unlike things (revenue ÷ room-nights) keeps none."""
    counts = {m.name: m.counts for m in metrics}
    out = []
    for m in metrics:
        counted = (
            {counts.get(m.numerator), counts.get(m.denominator)} if m.numerator and m.denominator else set()
        )
        if m.type == "ratio" and m.format is None and len(counted) == 1 and None not in counted:
            m = m.model_copy(update={"format": "percent"})
        out.append(m)
    return out
