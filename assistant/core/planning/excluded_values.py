"""A count or sum filtered to a value its own definition leaves out: asked, not answered with 0.

'Wie viele Sendungen wurden letzten Monat storniert?' read as Shipments with status Cancelled —
but Shipments leave cancelled bookings out by definition ('Cancelled bookings never left the depot
and are not counted'), so the answer was 0 for every period: a number that looks like an answer and
is not one. The rule is the data's: a summable figure (`MetricInfo.additive`) held to values of a
filter that it never counts over all the tenant's data (`counts(metric, filter)`, asked once per
tenant and data version) cannot answer for them; the question names the figure and its description
instead of a zero. A figure that counts the value in some other period still answers (a month with
no cancellations is a true 0).

Run by the engine on every metric plan, whichever planner made it.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Filter


def excluded_by_definition(
    plan: MetricPlan, catalog: Catalog, counts: Callable[[str, Filter], bool]
) -> ClarificationPlan | None:
    """A question back when a summable figure of the plan is filtered to values it never counts."""
    if plan.derived is not None:
        return None
    held = [f for f in plan.query.filters if f.operator in ("=", "in") and f.values]
    for name in plan.query.metrics:
        metric = catalog.metric(name)
        if metric is None or not metric.additive:
            continue
        for flt in held:
            dim = catalog.dimension(flt.dimension)
            if dim is None or dim.type != "categorical" or counts(name, flt):
                continue
            values = ", ".join(str(v) for v in flt.values)
            said = f" ({metric.description.strip()})" if metric.description.strip() else ""
            return ClarificationPlan(
                question=f"{metric.label} has nothing for {dim.label} {values} anywhere in your data: its "
                f"definition leaves them out{said}. Which figure do you mean for {values}?",
                options=(f"{metric.label} (all)",),
            )
    return None
