"""A MetricFlow SQL client stand-in for compiling (not running) queries in tests."""

from __future__ import annotations

from dataclasses import dataclass

from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer


@dataclass(frozen=True)
class DialectOnlySqlClient:
    """Just enough of MetricFlow's SqlClient to plan and render SQL; it never runs anything."""

    engine: SqlEngine
    renderer: SqlPlanRenderer

    @property
    def sql_engine_type(self) -> SqlEngine:
        return self.engine

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self.renderer
