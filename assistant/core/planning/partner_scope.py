"""A rate narrowed or broken down through an entity its denominator's facts may lack: asked, not answered.

Occupancy is occupied over available room-nights. Most available room-nights have no reservation
(they were vacant), so 'occupancy for OTA bookings' or 'occupancy by rate plan' keeps only the
room-nights with a reservation on both sides, and the rate reads 100 % for every channel: a number
that looks like an answer and is not one. The rule is the catalog's and the data's, not a word's:
for a ratio (`MetricInfo.numerator`/`denominator`) and each filter or breakdown reached through an
entity (the first link of its path), when the denominator counts facts with no such partner and the
numerator counts none (`partnerless(metric, entity)`, asked of the data once per tenant and data
version, see `semantic_layer.partners`), the plan becomes a question naming the figure that can be
narrowed so (occupied room-nights by channel) and the rate without the filter. When both sides count
partnerless facts (the average order value of a customer segment: anonymous receipts on both sides)
the ratio over the partnered facts is a rate of its own and is answered.

Run by the engine on every metric plan, whichever planner made it: a pure function of the plan, the
catalog and the `partnerless` oracle.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo


def outside_the_partners(
    plan: MetricPlan, catalog: Catalog, partnerless: Callable[[str, str], bool]
) -> ClarificationPlan | None:
    """A question back when a ratio of the plan is narrowed or split by a dimension its
    denominator's facts may have no partner for; None when the plan can be answered."""
    narrowed = [(f.dimension, True) for f in plan.query.filters]
    narrowed += [(g, False) for g in plan.query.group_by]
    for name in plan.query.metrics:
        metric = catalog.metric(name)
        if metric is None or metric.numerator is None or metric.denominator is None:
            continue
        for dim_name, is_filter in narrowed:
            dim = catalog.dimension(dim_name)
            if dim is None or "__" not in dim_name or dim_name.startswith("metric_time"):
                continue
            entity = dim_name.split("__", 1)[0]
            if partnerless(metric.denominator, entity) and not partnerless(metric.numerator, entity):
                return _question(metric, dim, entity, catalog, is_filter=is_filter)
    return None


def _question(
    metric: MetricInfo, dim: DimensionInfo, entity: str, catalog: Catalog, *, is_filter: bool
) -> ClarificationPlan:
    numerator = catalog.metric(metric.numerator or "")
    denominator = catalog.metric(metric.denominator or "")
    top = _name(numerator.label if numerator else metric.numerator or "")
    bottom = _name(denominator.label if denominator else metric.denominator or "")
    known = catalog.entity(entity)
    partner = _name(known.label if known and known.label else entity.replace("_", " "))
    what = _name(dim.label)
    verb = "narrowed by" if is_filter else "broken down by"
    question = (
        f"{metric.label} cannot be {verb} {what}: its {bottom} include ones with no {partner}, "
        f"which have no {what}, so the rate would be of the {top} alone. "
        f"Do you want the {top} by {what}, or {metric.label} for all of them?"
    )
    options = (f"{top[:1].upper()}{top[1:]} by {what}", f"{metric.label} overall")
    return ClarificationPlan(question=question, options=options)


def _name(label: str) -> str:
    """'Channel group' → 'channel group'; an acronym ('OTA share', 'ADR') keeps its case."""
    head = label.split(" ", 1)[0]
    return label if head.isupper() and len(head) > 1 else label[:1].lower() + label[1:]
