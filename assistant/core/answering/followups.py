"""Follow-up suggestions: the next questions people usually ask after this answer.

Each suggestion is phrased so that the offline planner understands it as a follow-up of the
current plan, and only what would answer is offered: `accept` (the engine's check, see
`followup_check.py`) plans each candidate against this turn and drops those the semantic layer
would refuse — "show it weekly" after a year-over-year total, say, whose weekly series cannot be
compared year over year. Candidates are ordered by how often they are the useful next step.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.answering.breakdowns import breakdown_dimensions, breakdown_phrase
from assistant.core.answering.result_view import ResultView
from semantic_layer.catalog import Catalog

_MAX_BREAKDOWNS = 2
_MONTHLY_FROM_DAYS = 45  # a shorter period shown by month is one or two rows


def _accept_all(_: str) -> bool:
    return True


def suggest_followups(
    view: ResultView, catalog: Catalog, *, limit: int = 4, accept: Callable[[str], bool] = _accept_all
) -> list[str]:
    plan = view.plan
    q = plan.query
    out: list[str] = []
    metric = view.metrics[0] if view.metrics else None
    grouped = {g for g in q.group_by if g != "metric_time"}
    # breakdowns by role (location, product, channel, customer) the metric reaches, in its words
    breakdowns = 0
    for dim in breakdown_dimensions(catalog, metric):
        suggestion = f"and by {breakdown_phrase(catalog, dim)}?"
        if dim.name not in grouped and accept(suggestion):
            out.append(suggestion)
            breakdowns += 1
        if breakdowns >= _MAX_BREAKDOWNS:
            break
    candidates: list[str] = []
    if plan.comparison is None:
        candidates.append("what about vs last year?")
    if "metric_time" not in q.group_by:
        candidates.append("show it weekly")
        start, end = plan.period.start, plan.period.end
        if start is not None and end is not None and (end - start).days >= _MONTHLY_FROM_DAYS:
            candidates.append("show it monthly")  # offered when weekly is not
    elif plan.comparison is None:
        candidates.append("why?")
    if grouped and view.rows:
        dims = view.dimension_columns
        i = view.index(dims[0]) if dims else None
        if i is not None and isinstance(view.rows[0][i], str):
            candidates.append(f"only {view.rows[0][i]}")
    for candidate in candidates:
        if len(out) >= limit:
            break
        if candidate == "show it monthly" and "show it weekly" in out:
            continue
        if candidate not in out and accept(candidate):
            out.append(candidate)
    return out[:limit]
