"""The LLM planner: question → one tool call → a validated plan, with a bounded repair loop.

The model sees a slice of the catalog, the values the question named, the as-of date and the time
conventions, and the previous plan; it must call one tool (`query_metrics`, `ask_clarification`,
`refuse`, `run_sql`). We never trust the call: it is parsed strictly, checked against the catalog
(`validate`) and, when the engine passes one, compiled by MetricFlow (`compile_check`). A failure
goes back to the model as the tool's result — the same one-line message a user would get — and the
model may repair it at most `max_repairs` times; after that the user gets a clarification rather
than a guess. Cross-tenant questions are refused before any call, so other tenants' names never
need to be in a prompt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

from pydantic import ValidationError

from assistant.core.llm.catalog_slice import CatalogSlice, catalog_slice
from assistant.core.llm.client import Completion, LlmClient, Message, ToolCallMessage, Usage
from assistant.core.llm.errors import LlmUnavailableError
from assistant.core.llm.prompts import planner_system_prompt, planner_user_prompt
from assistant.core.llm.tools import (
    ARGUMENT_MODELS,
    SQL_TOOL,
    ClarifyArgs,
    QueryArgs,
    RefuseArgs,
    SqlArgs,
    tool_schemas,
)
from assistant.core.planning.offline.document_questions import is_document_question
from assistant.core.planning.offline.planner import PlannerInput
from assistant.core.planning.offline.signals import extract_signals
from assistant.core.planning.offline.text import fold
from assistant.core.planning.plans import (
    ClarificationPlan,
    DocumentPlan,
    MetricPlan,
    Period,
    Plan,
    RefusalPlan,
    SqlPlan,
)
from assistant.core.planning.time_range import TimeMatch, find_time_range
from guardrails.errors import UserError
from semantic_layer.catalog import Catalog
from semantic_layer.query import Filter, OrderBy, SemanticQuery, TimeRange
from semantic_layer.validation import validate

CompileCheck = Callable[[SemanticQuery], None]
SqlCheck = Callable[[str], None]


class FallbackPlanner(Protocol):
    """The engine's `Planner` shape (kept local: `assistant.core.engine` imports this module)."""

    def plan(self, inp: PlannerInput) -> Plan: ...


class _Rejected(Exception):
    """A tool call we cannot accept; the message goes back to the model verbatim."""


class LlmPlanner:
    """Implements the engine's `Planner` protocol. Stateless between calls; thread-safe."""

    name = "llm"

    def __init__(
        self,
        client: LlmClient,
        *,
        compile_check: CompileCheck | None = None,
        sql_check: SqlCheck | None = None,
        allow_sql: bool = True,
        sql_schema: str = "",
        fallback: FallbackPlanner | None = None,
    ) -> None:
        """`compile_check` compiles a query with MetricFlow and raises a UserError if it cannot;
        `sql_check` runs the SQL guard (raising GuardRejection) so a rejected SQL can be repaired;
        `fallback` (a Planner, e.g. the offline one) answers when no model is reachable —
        without it, an unreachable LLM is an LlmUnavailableError."""
        self.client = client
        self.compile_check = compile_check
        self.sql_check = sql_check
        self.allow_sql = allow_sql
        self.sql_schema = sql_schema
        self.fallback = fallback

    def plan(self, inp: PlannerInput) -> Plan:
        return self.plan_with_usage(inp)[0]

    def plan_with_usage(self, inp: PlannerInput) -> tuple[Plan, Usage]:
        refusal = _foreign_refusal(inp)
        if refusal is not None:
            return refusal, Usage()
        if is_document_question(inp.question, extract_signals(inp.question, inp.as_of), inp.document_context):
            return DocumentPlan(question=inp.question.strip()), Usage()  # answered from documents
        context = catalog_slice(
            inp.question,
            inp.catalog,
            inp.lexicon,
            previous=inp.previous,
            default_metric=inp.default_metric,
            retrieval=inp.retrieved(),
        )
        time_hint = find_time_range(inp.question, inp.as_of)
        messages: list[Message] = [
            {
                "role": "system",
                "content": planner_system_prompt(sql_schema=self.sql_schema, allow_sql=self.allow_sql),
            },
            {
                "role": "user",
                "content": planner_user_prompt(
                    inp.question, as_of=inp.as_of, context=context, time_hint=time_hint, previous=inp.previous
                ),
            },
        ]
        tools = tool_schemas(allow_sql=self.allow_sql)
        usage = Usage()
        last_problem = ""
        for _round in range(self.client.settings.max_repairs + 1):
            try:
                completion = self.client.complete(messages, tools=tools, tool_choice="required")
            except LlmUnavailableError as exc:
                usage = usage + exc.usage
                if self.fallback is None:
                    raise type(exc)(exc.message, usage=usage, code=exc.code) from exc
                return self.fallback.plan(inp), usage
            usage = usage + completion.usage
            messages.append(completion.as_message())
            if not completion.tool_calls:
                last_problem = "no tool was called"
                messages.append({"role": "user", "content": "Answer by calling exactly one of the tools."})
                continue
            call = completion.tool_calls[0]
            try:
                plan = self._accept(call, inp, context, time_hint)
            except _Rejected as exc:
                last_problem = str(exc)
                messages += _tool_results(completion, f"Error: {exc} Call a tool again with a fix.")
                continue
            return plan, usage
        return _give_up(context, last_problem), usage

    # ---- accepting a tool call -----------------------------------------------------------------

    def _accept(
        self, call: ToolCallMessage, inp: PlannerInput, context: CatalogSlice, time_hint: TimeMatch | None
    ) -> Plan:
        model = ARGUMENT_MODELS.get(call.name)
        if model is None or (call.name == SQL_TOOL and not self.allow_sql):
            raise _Rejected(f"there is no tool named {call.name!r}.")
        try:
            raw = json.loads(call.arguments or "{}")
            args = model.model_validate(raw)
        except json.JSONDecodeError as exc:
            raise _Rejected(f"the arguments are not valid JSON ({exc.msg}).") from exc
        except ValidationError as exc:
            raise _Rejected(f"invalid arguments for {call.name}: {_pydantic_summary(exc)}.") from exc
        if isinstance(args, QueryArgs):
            return self._metric_plan(args, inp, time_hint)
        if isinstance(args, ClarifyArgs):
            return ClarificationPlan(question=args.question, options=tuple(args.options))
        if isinstance(args, RefuseArgs):
            return RefusalPlan(reason=args.reason, message=args.message)
        assert isinstance(args, SqlArgs)
        if self.sql_check is not None:
            try:
                self.sql_check(args.sql)
            except UserError as exc:
                raise _Rejected(exc.message) from exc
        return SqlPlan(sql=args.sql, rationale=args.rationale)

    def _metric_plan(self, args: QueryArgs, inp: PlannerInput, time_hint: TimeMatch | None) -> MetricPlan:
        try:
            query = SemanticQuery(
                metrics=tuple(args.metrics),
                group_by=tuple(args.group_by),
                time_grain=args.time_grain,
                filters=tuple(
                    Filter(dimension=f.dimension, operator=f.operator, values=tuple(f.values))
                    for f in args.filters
                ),
                time_range=TimeRange(start=args.time_range.start, end=args.time_range.end),
                order_by=tuple(OrderBy(name=o.name, descending=o.descending) for o in args.order_by),
                limit=args.limit,
            )
        except ValidationError as exc:
            raise _Rejected(f"invalid query: {_pydantic_summary(exc)}.") from exc
        try:
            validate(query, inp.catalog)
            bounded = query.time_range.start is not None and query.time_range.end is not None
            if args.comparison is not None and not bounded:
                raise UserError("a comparison needs a time_range with both start and end")
            if args.share_of_total and not [g for g in query.group_by if g != "metric_time"]:
                raise UserError("share_of_total needs a group_by dimension to share across")
            if self.compile_check is not None:
                self.compile_check(query)
        except UserError as exc:
            raise _Rejected(exc.message) from exc
        period = _period(query.time_range, time_hint, inp)
        return MetricPlan(
            query=query,
            period=period,
            comparison=args.comparison,
            share_of_total=args.share_of_total,
            focus=tuple(args.focus),
            understood=_understood(query, inp.catalog, period, args),
        )


def _foreign_refusal(inp: PlannerInput) -> RefusalPlan | None:
    folded = f" {fold(inp.question)} "
    for term in inp.foreign_terms:
        if f" {fold(term)} " in folded or fold(term) in folded.replace(" ", "-"):
            return RefusalPlan(
                reason="cross_tenant", message="I can only answer questions about your own company's data."
            )
    return None


def _tool_results(completion: Completion, first: str) -> list[Message]:
    """One tool result per tool call (OpenAI rejects a history with an unanswered call)."""
    results: list[Message] = []
    for i, call in enumerate(completion.tool_calls):
        content = first if i == 0 else "Ignored: call exactly one tool."
        results.append({"role": "tool", "tool_call_id": call.id, "name": call.name, "content": content})
    return results


def _pydantic_summary(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:4]:
        where = ".".join(str(p) for p in err["loc"]) or "arguments"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def _period(rng: TimeRange, hint: TimeMatch | None, inp: PlannerInput) -> Period:
    if rng.start is None and rng.end is None:
        return Period(start=inp.first_data_date, end=None, label="all loaded data")
    if hint is not None and (hint.range.start, hint.range.end) == (rng.start, rng.end):
        return Period(start=rng.start, end=rng.end, label=hint.range.label)
    if rng.start is not None and rng.end is not None:
        label = f"{rng.start.isoformat()} to {rng.end.isoformat()}"
    elif rng.start is not None:
        label = f"since {rng.start.isoformat()}"
    else:
        label = f"until {rng.end.isoformat() if rng.end else ''}"
    return Period(start=rng.start, end=rng.end, label=label)


def _understood(query: SemanticQuery, catalog: Catalog, period: Period, args: QueryArgs) -> tuple[str, ...]:
    def label(name: str) -> str:
        dim = catalog.dimension(name)
        return (dim.label if dim else name).lower()

    metrics = [m.label for name in query.metrics if (m := catalog.metric(name)) is not None]
    out = [", ".join(metrics)]
    out += [f"by {label(g)}" for g in query.group_by if g != "metric_time"]
    if "metric_time" in query.group_by:
        out.append(f"per {query.time_grain.value}")
    for f in query.filters:
        prefix = "excluding " if f.operator in ("!=", "not in") else ""
        out.append(f"{prefix}{label(f.dimension)} {', '.join(str(v) for v in f.values)}")
    out.append(period.label)
    if args.comparison:
        yoy = args.comparison == "same_period_last_year"
        out.append("vs the same period last year" if yoy else "vs the previous period")
    return tuple(out)


def _give_up(context: CatalogSlice, problem: str) -> ClarificationPlan:
    options = tuple(m.label for m in context.metrics[:4])
    detail = f" ({problem.rstrip('.')})" if problem else ""
    return ClarificationPlan(
        question=f"I could not turn that into a query I can run{detail}. "
        "Could you rephrase it, naming the figure and the breakdown you want?",
        options=options,
    )
