"""Would a suggested follow-up answer? Planned as the next turn would plan it, then checked.

A suggestion is offered only if the offline planner, given this turn's plan as the previous one,
reads it as a new metric plan (not a clarification, a refusal, or this same plan again) and the
semantic layer's own rules accept that plan — names, joins, grains, and what a comparison or a
share needs — the way compiling it would (`SemanticLayer.check`). Nothing is compiled or run:
planning and checking a suggestion costs well under a millisecond, so checking the few
candidates of an answer stays inside the ask latency budget.

The check uses the offline planner whatever planner answers the conversation: suggestions are
phrased for it (tests hold every template to it), and it is deterministic and free.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import MetricPlan
from guardrails.errors import UserError

_PLANNER = OfflinePlanner()


@dataclasses.dataclass(frozen=True)
class FollowupCheck:
    """`check(suggestion)` → True when asking it next would answer. `check_plan` raises the
    `UserError` that answering a plan would raise (the engine's own check of its roads)."""

    planner_input: PlannerInput  # this turn's input: tenant lexicon, as_of, catalog
    current: MetricPlan
    check_plan: Callable[[MetricPlan], None]

    def __call__(self, suggestion: str) -> bool:
        nxt = _PLANNER.plan(
            dataclasses.replace(
                self.planner_input,
                question=suggestion,
                previous=self.current,
                retrieval=None,
                documents=None,
                lookup=None,
            )
        )
        if not isinstance(nxt, MetricPlan):
            return False
        if nxt.model_dump(exclude={"understood"}) == self.current.model_dump(exclude={"understood"}):
            return False  # it would answer the same again
        try:
            self.check_plan(nxt)
        except UserError:
            return False
        return True
