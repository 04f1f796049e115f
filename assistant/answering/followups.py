"""Follow-up suggestions: the next questions people usually ask after this answer.

Each suggestion is phrased so that the offline planner understands it as a follow-up of the
current plan (tests hold it to that).
"""

from __future__ import annotations

from assistant.answering.breakdowns import breakdown_dimensions, breakdown_phrase
from assistant.answering.result_view import ResultView
from semantic_layer.catalog import Catalog


def suggest_followups(view: ResultView, catalog: Catalog, *, limit: int = 4) -> list[str]:
    plan = view.plan
    q = plan.query
    out: list[str] = []
    metric = view.metrics[0] if view.metrics else None
    grouped = {g for g in q.group_by if g != "metric_time"}
    # breakdowns by role (location, product, channel, customer) the metric reaches, in its words
    for dim in breakdown_dimensions(catalog, metric):
        if dim.name not in grouped:
            out.append(f"and by {breakdown_phrase(catalog, dim)}?")
        if len(out) >= 2:
            break
    if plan.comparison is None:
        out.append("what about vs last year?")
    if "metric_time" not in q.group_by:
        out.append("show it weekly")
    elif plan.comparison is None:
        out.append("why?")
    if grouped and view.rows:
        dims = view.dimension_columns
        i = view.index(dims[0]) if dims else None
        if i is not None and isinstance(view.rows[0][i], str):
            out.append(f"only {view.rows[0][i]}")
    return list(dict.fromkeys(out))[:limit]
