"""Mercurios: plain-language questions in, tenant-scoped answers out (a dbt semantic layer below).

The public Python API — what `eval` and a user's own scripts use; every other module is internal:

    import assistant

    engine = assistant.build_engine()  # configured like the CLI (MERCURIOS_* settings)
    result = assistant.ask("net sales by store last month", tenant="nordwind-fashion", engine=engine)
    result["answer"], result["columns"], result["rows"]  # the object `mercurios ask --json` prints

`engine.ask(question, assistant.RequestContext(...))` streams the typed events (`assistant.PlanEvent`,
`assistant.AnswerEvent`, ...) that every channel consumes; `assistant.collect` turns one turn's events
into that object. The engine's extension points are here too: `Planner` (with `PlannerInput`),
`Narrator`, `TenantDirectory` (with `TenantProfile`).

Names are imported on first use (module `__getattr__`), so `import assistant`, which every submodule
import runs first, stays cheap. ARCHITECTURE.md describes the packages behind it.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.core.context import RequestContext
    from assistant.core.engine import Engine
    from assistant.core.events import (
        AnswerEvent,
        ChartEvent,
        ClarificationEvent,
        DoneEvent,
        ErrorEvent,
        Event,
        PlanEvent,
        RefusalEvent,
        SqlEvent,
        StatusEvent,
        TableEvent,
        TextDeltaEvent,
        collect,
    )
    from assistant.core.planning.offline.planner import PlannerInput
    from assistant.core.planning.plans import (
        ClarificationPlan,
        DocumentPlan,
        MetricPlan,
        Plan,
        RefusalPlan,
        SqlPlan,
    )
    from assistant.core.protocols import Narrator, Planner, TenantDirectory
    from assistant.core.tenants import TenantProfile, UnknownTenantError
    from assistant.runtime.settings import Settings, get_settings

_EVENTS = (
    "AnswerEvent",
    "ChartEvent",
    "ClarificationEvent",
    "DoneEvent",
    "ErrorEvent",
    "Event",
    "PlanEvent",
    "RefusalEvent",
    "SqlEvent",
    "StatusEvent",
    "TableEvent",
    "TextDeltaEvent",
    "collect",
)
_PLANS = ("ClarificationPlan", "DocumentPlan", "MetricPlan", "Plan", "RefusalPlan", "SqlPlan")
_LAZY: dict[str, str] = {
    **dict.fromkeys(_EVENTS, "assistant.core.events"),
    **dict.fromkeys(_PLANS, "assistant.core.planning.plans"),
    "Engine": "assistant.core.engine",
    "Narrator": "assistant.core.protocols",
    "Planner": "assistant.core.protocols",
    "TenantDirectory": "assistant.core.protocols",
    "PlannerInput": "assistant.core.planning.offline.planner",
    "TenantProfile": "assistant.core.tenants",
    "UnknownTenantError": "assistant.core.tenants",
    "RequestContext": "assistant.core.context",
    "Settings": "assistant.runtime.settings",
    "get_settings": "assistant.runtime.settings",
}

__all__ = [
    "AnswerEvent",
    "ChartEvent",
    "ClarificationEvent",
    "ClarificationPlan",
    "DocumentPlan",
    "DoneEvent",
    "Engine",
    "ErrorEvent",
    "Event",
    "MetricPlan",
    "Narrator",
    "Plan",
    "PlanEvent",
    "Planner",
    "PlannerInput",
    "RefusalEvent",
    "RefusalPlan",
    "RequestContext",
    "Settings",
    "SqlEvent",
    "SqlPlan",
    "StatusEvent",
    "TableEvent",
    "TenantDirectory",
    "TenantProfile",
    "TextDeltaEvent",
    "UnknownTenantError",
    "ask",
    "build_engine",
    "collect",
    "get_settings",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next access skips this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def build_engine(settings: Settings | None = None) -> Engine:
    """The engine the CLI and the service build: providers chosen from `settings` (default: read
    from the environment, `MERCURIOS_*`)."""
    from assistant.runtime.services import build_engine as build
    from assistant.runtime.settings import get_settings

    return build(settings or get_settings())


def ask(
    question: str,
    *,
    tenant: str,
    engine: Engine | None = None,
    as_of: dt.date | None = None,
    conversation_id: str | None = None,
) -> dict[str, Any]:
    """One question for one tenant, answered in full: the `mercurios ask --json` object (tenant,
    question, as_of, kind, plan, sql, columns, rows, answer, chart, followups, cached, timings_ms).

    `as_of` defaults to today in the tenant's timezone (or `MERCURIOS_TODAY`); pass the
    `conversation_id` of an earlier answer to ask a follow-up. An unknown tenant raises
    `NotFoundError` (a `UserError`)."""
    from assistant.core.clock import clock_for
    from assistant.core.context import RequestContext
    from assistant.core.events import collect
    from assistant.runtime.settings import get_settings

    engine = engine or build_engine()
    profile = engine.tenants.get(tenant)
    day = as_of or clock_for(get_settings().today).today(profile.timezone)
    ctx = RequestContext(
        tenant_id=tenant,
        user_id="python",
        roles=("analyst",),
        conversation_id=conversation_id,
        as_of=day,
        locale=profile.locale,
        timezone=profile.timezone,
        currency=profile.currency,
    )
    return collect(list(engine.ask(question, ctx)), tenant=tenant, question=question, as_of=day)
