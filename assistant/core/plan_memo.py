"""The plans of questions asked again, kept per process: a repeated question is not re-read.

A deterministic planner (`deterministic = True`, the offline planner) gives the same plan for the
same `PlannerInput`; reading a question again costs ~0.3–1 ms of a cached answer's few ms. The
memo keys everything the plan can depend on:

- the tenant (a plan is never served to another tenant — their values, their foreign terms),
- the semantic manifest's hash and the tenant's data version (the catalog, lexicon and values the
  planner read), and the very catalog and lexicon objects (checked by identity on a hit: a rebuilt
  lexicon never meets an older plan),
- the question exactly as asked, the as-of date, the default metric, the other tenants' names,
- the conversation's previous plan (a follow-up reads differently after another question).

A plan for which the planner searched the retrieval index or the documents (`QuestionLookup.searched`)
is not kept: the index changes without the data version changing. Plans are frozen models, shared
as they are."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cachetools import LRUCache

if TYPE_CHECKING:
    from assistant.core.planning.offline.planner import PlannerInput
    from assistant.core.planning.plans import Plan

MAX_PLANS = 4096


@dataclass(frozen=True)
class _Entry:
    plan: Plan
    catalog: object
    lexicon: object


class PlanMemo:
    def __init__(self, max_plans: int = MAX_PLANS) -> None:
        self._plans: LRUCache[tuple[object, ...], _Entry] = LRUCache(maxsize=max_plans)
        self._lock = threading.Lock()

    @staticmethod
    def key(
        tenant_id: str, inp: PlannerInput, *, manifest_version: str, data_version: str
    ) -> tuple[object, ...]:
        previous = inp.previous.model_dump_json() if inp.previous is not None else None
        return (
            tenant_id,
            manifest_version,
            data_version,
            inp.question,
            inp.as_of.isoformat(),
            inp.default_metric,
            inp.first_data_date,
            tuple(inp.foreign_terms),
            previous,
        )

    def get(self, key: tuple[object, ...], inp: PlannerInput) -> Plan | None:
        with self._lock:
            entry = self._plans.get(key)
        if entry is None or entry.catalog is not inp.catalog or entry.lexicon is not inp.lexicon:
            return None
        return entry.plan

    def put(self, key: tuple[object, ...], inp: PlannerInput, plan: Plan) -> None:
        with self._lock:
            self._plans[key] = _Entry(plan, inp.catalog, inp.lexicon)

    def __len__(self) -> int:
        with self._lock:
            return len(self._plans)
