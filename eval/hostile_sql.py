"""A planner that "writes" a given SQL statement, so the red team attacks the real road.

Hostile SQL is handed to the engine exactly where an LLM planner's free-written SQL enters it (a
`SqlPlan`): the engine guards it, runs it on the warehouse and answers. What is judged is the
end-to-end property — rejected, or provably scoped to the caller — not one guard rule.
The SQL is set per thread, because the engine consumes a question on the caller's thread and the
harness may run several cases at once.
"""

from __future__ import annotations

import threading

from assistant import Plan, PlannerInput, SqlPlan


class HostileSqlPlanner:
    name = "hostile-sql"

    def __init__(self) -> None:
        self._local = threading.local()

    def use(self, sql: str) -> None:
        self._local.sql = sql

    def plan(self, inp: PlannerInput) -> Plan:
        sql = getattr(self._local, "sql", None)
        if sql is None:
            raise RuntimeError("HostileSqlPlanner.use(sql) was not called on this thread")
        return SqlPlan(sql=sql, rationale="red team: hostile SQL as if an LLM wrote it")
