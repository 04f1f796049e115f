"""The part of the catalog (and of the tenant's values) that one question needs.

The prompt never carries the whole catalog: a big one would drown the question, cost tokens on
every turn, and invite the model to pick a metric nobody asked about. We keep the metrics and
dimensions whose name, label or synonyms share a word with the question, the ones the previous
plan used (follow-ups), the project's default metric (the planner input's, else the catalog's
`meta: {mercurios: {default: true}}`) and the time axis. Dimension values come only from
this tenant's lexicon and only when the question names them — so another tenant's stores or
products can never reach the prompt, and neither can this tenant's unrelated ones.

With a retrieval index, what retrieval found for the question joins the slice: its candidate
metrics and dimensions (semantic matches the word overlap misses), the values it linked to the
question's words in other words ("trainers" → "Laufschuhe", from this tenant's partition only) and
a few verified examples (question → plan JSON) as few-shot guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.planning.offline.lexicon import Lexicon, entity_name_dimension, key_of
from assistant.core.planning.plans import MetricPlan
from retrieval.retriever import RetrievalContext
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

# Words that say nothing about which metric or dimension is meant.
_STOPWORDS = frozenset(
    """a an the of in on at by for to from per and or vs versus with without what which who how
    is are was were be been do did does our my we i me us show give tell list top bottom best worst
    last this next previous month week year quarter day today yesterday ytd mtd since until compared
    much many number total all each every than more less most least only just it that there their
    und der die das im in pro nach vom von wie viel welche""".split()  # noqa: SIM905 - a word list
)
MAX_METRICS = 8
MAX_DIMENSIONS = 12
MAX_VALUES = 20
MAX_EXAMPLES = 3
MIN_RETRIEVED_VALUE_SCORE = 0.75  # the offline planner's threshold too (retrieval_hints.py)


@dataclass(frozen=True)
class NamedValue:
    dimension: str
    value: str  # exactly as stored in the warehouse
    as_written: str  # the phrase of the question it was read from


@dataclass(frozen=True)
class CatalogSlice:
    metrics: tuple[MetricInfo, ...]
    dimensions: tuple[DimensionInfo, ...]
    values: tuple[NamedValue, ...]
    examples: tuple[tuple[str, str], ...] = ()  # verified (question, plan JSON) pairs, most similar first


def _words(*phrases: str) -> set[str]:
    return {w for p in phrases for w in key_of(p) if w not in _STOPWORDS and len(w) > 1}


def _ngrams(tokens: tuple[str, ...], max_len: int) -> list[tuple[str, ...]]:
    return [tokens[i : i + n] for n in range(max_len, 0, -1) for i in range(len(tokens) - n + 1)]


def catalog_slice(
    question: str,
    catalog: Catalog,
    lexicon: Lexicon,
    *,
    previous: MetricPlan | None = None,
    default_metric: str | None = None,
    retrieval: RetrievalContext | None = None,
) -> CatalogSlice:
    tokens = key_of(question)
    asked = _words(question)
    metric_names: dict[str, float] = {}
    dim_names: dict[str, float] = {}
    values: dict[tuple[str, str], NamedValue] = {}
    for gram in _ngrams(tokens, lexicon.max_len):
        for entry in lexicon.lookup(gram):
            if entry.kind == "metric":
                metric_names[entry.target] = metric_names.get(entry.target, 0) + 10 * len(gram)
            elif entry.kind == "dimension":
                dim_names[entry.target] = dim_names.get(entry.target, 0) + 10 * len(gram)
            elif entry.value is not None and (not entry.weak or entry.target in dim_names):
                values.setdefault(
                    (entry.target, entry.value), NamedValue(entry.target, entry.value, " ".join(gram))
                )
    for info in catalog.metrics:
        overlap = len(asked & _words(info.name.replace("_", " "), info.label, *info.synonyms))
        if overlap:
            metric_names[info.name] = metric_names.get(info.name, 0) + overlap
    for d in catalog.dimensions:
        overlap = len(asked & _words(d.name.split("__")[-1].replace("_", " "), d.label, *d.synonyms))
        if overlap:
            dim_names[d.name] = dim_names.get(d.name, 0) + overlap
    if retrieval is not None:
        for rank, cand in enumerate(retrieval.metrics):
            metric_names[cand.name] = metric_names.get(cand.name, 0) + 0.5 / (rank + 1)
        for rank, cand in enumerate(retrieval.dimensions):
            dim_names[cand.name] = dim_names.get(cand.name, 0) + 0.5 / (rank + 1)
        for match in retrieval.values:
            if match.score >= MIN_RETRIEVED_VALUE_SCORE:
                values.setdefault(
                    (match.dimension, match.value), NamedValue(match.dimension, match.value, match.words)
                )
    ranked = sorted(metric_names, key=lambda n: -metric_names[n])[:MAX_METRICS]
    if previous is not None:
        ranked += [m for m in previous.query.metrics if m not in ranked]
    if default_metric is None and catalog.declared_default is not None:
        default_metric = catalog.declared_default.name
    if default_metric and default_metric not in ranked:
        ranked.append(default_metric)
    metrics = tuple(m for name in ranked if (m := catalog.metric(name)) is not None)

    wanted = sorted(dim_names, key=lambda n: -dim_names[n])
    wanted += [v.dimension for v in values.values()]
    if previous is not None:
        wanted += [*previous.query.group_by, *(f.dimension for f in previous.query.filters)]
    wanted.append("metric_time")
    # a few defaults: the name dimension of each entity the chosen metrics hang off ("by store")
    for metric in metrics:
        for entity in metric.entities:
            name_dim = entity_name_dimension(catalog, entity)
            if name_dim is not None:
                wanted.append(name_dim)
    reachable = {d for m in metrics for d in m.dimensions}
    dims: list[DimensionInfo] = []
    for name in wanted:
        dim = catalog.dimension(name.split("__")[0] if name.startswith("metric_time") else name)
        if dim is not None and dim not in dims and (dim.name in reachable or not reachable):
            dims.append(dim)
    examples = tuple(
        (e.question, e.plan_json) for e in (retrieval.examples if retrieval else ()) if e.plan_json
    )
    return CatalogSlice(
        metrics=metrics,
        dimensions=tuple(dims[:MAX_DIMENSIONS]),
        values=tuple(values.values())[:MAX_VALUES],
        examples=examples[:MAX_EXAMPLES],
    )
