"""The engine: the road of one question (DESIGN.md) as an explicit sequence of stages.

    [a continued conversation: wait for its previous turn (`ConversationStore.hold`)]
    guard input (`_guard_input`) → tenant → retrieve (lexicon, index hits, documents) → plan
    (`_understand`) → by the plan's kind (`_answer`):
      clarification / refusal                  → said as it is
      document question (topical check)        → answer from the documents, cited
      generated SQL (guarded fallback)         → guard + execute → answer (`_answer_sql_plan`)
      metric query (`_answer_metric_plan`)     → outside the data's dates? said so
                   → cache? (the canonical plan, data version) → compile + guard + execute
                     (`_execute_timed`) → answer (narrator, grounded; `_compose_answer`) → cache
    → persist the turn → done (`_persist`); a failure at any stage becomes one event (`_failure`)

The answer cache sits after planning because its key is the canonical plan: the same question
asked in other words hits the same entry.

`Engine.ask` yields typed events as it goes; every channel consumes the same stream. Each stage is
a small method with its own timing; errors are caught once here and become an `error` event with
a stable code (user errors say what to change; internal errors say only that it was us).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from assistant.core.answering.asked_in_german import followups_in_question_language, in_question_language
from assistant.core.answering.breakdowns import breakdown_dimensions
from assistant.core.answering.charts import chart_spec
from assistant.core.answering.data_bounds import coverage_notes, no_data_before
from assistant.core.answering.derived import derived_note, with_ratio
from assistant.core.answering.examples import example_question
from assistant.core.answering.followup_check import FollowupCheck
from assistant.core.answering.followups import suggest_followups
from assistant.core.answering.formatting import format_value
from assistant.core.answering.narrative import no_data_yet, write_narrative
from assistant.core.answering.result_view import ResultView
from assistant.core.answering.unknown_groups import widened, without_unknown_groups
from assistant.core.cache import AnswerCache, InProcessCache, cache_key
from assistant.core.context import RequestContext
from assistant.core.events import (
    AnswerEvent,
    ChartEvent,
    CitationRef,
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
)
from assistant.core.knowledge import KnowledgeSnapshot, QuestionLookup, TenantKnowledge
from assistant.core.memory import ConversationStore, InMemoryConversationStore, Turn
from assistant.core.plan_memo import PlanMemo
from assistant.core.planning.excluded_values import excluded_by_definition
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.partner_scope import outside_the_partners
from assistant.core.planning.plans import (
    ClarificationPlan,
    DocumentPlan,
    MetricPlan,
    Plan,
    RefusalPlan,
    SqlPlan,
)
from assistant.core.protocols import (
    LlmUsage,
    Narrator,
    Planner,
    TenantDirectory,
    UsageReportingPlanner,
)
from assistant.core.tenants import TenantProfile
from assistant.core.tracing import record_stage
from guardrails.errors import InputRejection, InternalError, MercuriosError, UserError
from guardrails.text import check_question, off_topic_finding, printable
from semantic_layer.catalog import Catalog
from semantic_layer.comparisons import TOTAL_SUFFIX
from semantic_layer.data_version import DataVersion
from semantic_layer.errors import WarehouseStatementError
from semantic_layer.facade import ExecutedQuery, SemanticLayer
from semantic_layer.protocols import CellValue

if TYPE_CHECKING:
    from assistant.core.llm.call_cache import LlmCallCache

log = logging.getLogger(__name__)

CACHE_TTL_S = 24 * 3600
TABLE_PREVIEW_ROWS = 200


class QueryCancelled(InternalError):
    """The caller went away (e.g. an SSE client disconnected): stop before doing more work."""

    code = "cancelled"


class GeneratedSqlFailed(UserError):
    """The warehouse refused SQL a planner wrote (the guarded fallback): that statement's fault —
    a string compared with a number, a failed cast — not ours. The user is asked to rephrase."""

    code = "generated_sql_failed"


# User errors worth a log line (without a traceback): what the SQL guard or the warehouse refused.
_LOGGED_USER_ERRORS = ("guard_rejected", GeneratedSqlFailed.code)


def raise_if_cancelled(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise QueryCancelled("the question was cancelled")


@dataclass
class _Timer:
    timings: dict[str, float] = field(default_factory=dict)
    cache: Literal["hit", "miss"] | None = None
    usage: dict[str, float | str] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)

    def add_usage(self, usage: LlmUsage) -> None:
        """Tokens and cost of LLM calls in this turn (planner and narrator), summed."""
        spent = {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cost_usd": usage.cost_usd,
            "llm_cache_hits": usage.cache_hits,
        }
        for key, value in spent.items():
            current = self.usage.get(key, 0)
            self.usage[key] = (current if isinstance(current, int | float) else 0) + value
        if usage.model:
            self.usage["model"] = usage.model

    def stage(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[name] = round(self.timings.get(name, 0.0) + (now - since) * 1000, 3)
        record_stage(name, since, now)
        return now

    def move(self, source: str, target: str, ms: float) -> None:
        """Attribute `ms` of stage `source` to stage `target` (work one stage did for another)."""
        if ms > 0:
            self.timings[source] = round(max(0.0, self.timings.get(source, 0.0) - ms), 3)
            self.timings[target] = round(self.timings.get(target, 0.0) + ms, 3)

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": round((time.perf_counter() - self._started) * 1000, 3)}


@dataclass
class _TurnRecord:
    """What the turn being answered will be stored as; each stage notes its part before it yields."""

    turn: Turn

    def note(self, **update: object) -> None:
        self.turn = self.turn.model_copy(update=update)


@dataclass(frozen=True)
class _Understood:
    """What the retrieve and plan stages hand to the answering stages."""

    question: str
    plan: Plan
    planner_input: PlannerInput
    knowledge: KnowledgeSnapshot
    lookup: QuestionLookup


class Engine:
    def __init__(
        self,
        semantic_layer: SemanticLayer,
        tenants: TenantDirectory,
        *,
        planner: Planner | None = None,
        store: ConversationStore | None = None,
        cache: AnswerCache | None = None,
        knowledge: TenantKnowledge | None = None,
        narrator: Narrator | None = None,
        llm_cache: LlmCallCache | None = None,
        max_question_chars: int = 2000,
    ) -> None:
        self.sl = semantic_layer
        self.tenants = tenants
        self.planner: Planner = planner or OfflinePlanner()
        self.store: ConversationStore = store or InMemoryConversationStore()
        self.cache: AnswerCache = cache or InProcessCache()
        self.knowledge = knowledge or TenantKnowledge(semantic_layer)
        self.max_question_chars = max_question_chars
        self.narrator = narrator
        self.llm_cache = llm_cache  # planner and narrator calls cached per tenant (each step scoped)
        # the plans of questions asked again (a deterministic planner only; see core/plan_memo)
        self.plan_memo: PlanMemo | None = (
            PlanMemo() if getattr(self.planner, "deterministic", False) else None
        )

    @property
    def _default_metric(self) -> str | None:
        """The metric the project declares its headline (`meta: {mercurios: {default: true}}`), for
        the planners; none declared, none guessed (the examples' fallback would answer questions
        about a metric nobody named)."""
        metric = self.sl.catalog.declared_default
        return metric.name if metric is not None else None

    @property
    def manifest_version(self) -> str:
        """A hash of the semantic manifest: a redeployed dbt project never serves stale answers."""
        return self.sl.project.manifest_hash

    # ---- the road of one question ---------------------------------------------------------

    def ask(
        self,
        question: str,
        ctx: RequestContext,
        *,
        cancel: threading.Event | None = None,
        before_persist: Callable[[str, str], None] | None = None,
        persist_in: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> Iterator[Event]:
        """`cancel`, once set, stops the question at the next stage boundary (a channel whose
        client went away sets it; the warehouse is interrupted by the channel's own wrapper).

        `before_persist(conversation_id, turn_id)` runs once every answer event has been yielded
        and before the turn is stored (a channel writes its audit record there). If it raises,
        the turn is not stored, no `done` event follows and the exception leaves `ask`: a channel
        that holds the answer's events until then delivers nothing it could not record.
        `persist_in()`, if given, is the context both run in (a channel's one transaction for its
        audit record and the turn).

        With an LLM-call cache, every step runs inside the asking tenant's cache scope."""
        steps = self._run(question, ctx, cancel=cancel, before_persist=before_persist, persist_in=persist_in)
        if self.llm_cache is None:
            return steps
        from assistant.core.llm.call_cache import each_step_in_scope

        return each_step_in_scope(steps, ctx.tenant_id)

    def _run(
        self,
        question: str,
        ctx: RequestContext,
        *,
        cancel: threading.Event | None,
        before_persist: Callable[[str, str], None] | None,
        persist_in: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> Iterator[Event]:
        """The stages in their order; each one notes on `record` what the turn keeps before it
        yields, so a consumer that stops early still leaves an honest turn behind."""
        timer = _Timer()
        conversation_id = ctx.conversation_id or uuid.uuid4().hex
        record = _TurnRecord(
            Turn(turn_id=uuid.uuid4().hex, question=printable(question)[:4000], kind="error")
        )
        # a conversation continued: its turns one at a time, so this one reads the one before it
        one_at_a_time = (
            self.store.hold(ctx.tenant_id, conversation_id) if ctx.conversation_id else nullcontext(True)
        )
        with one_at_a_time:
            try:
                refusal = self._guard_input(question, timer)
                if refusal is not None:
                    record.note(kind="refusal", answer=refusal.message)
                    yield refusal
                    return
                since = time.perf_counter()  # the tenant's lookup counts towards `retrieve`
                profile = self.tenants.get(ctx.tenant_id)
                raise_if_cancelled(cancel)
                understood = yield from self._understand(question, ctx, conversation_id, timer, cancel, since)
                for event in self._answer(understood, ctx, profile, timer, cancel, record):
                    yield _followups_in_question_language(event, question)
            except Exception as exc:  # a bug too must end the stream with an event, not kill the channel
                update, event = self._failure(exc, ctx, cancel)
                record.note(**update)
                yield event
            finally:
                with persist_in() if persist_in is not None else nullcontext():
                    done = self._persist(record.turn, ctx, conversation_id, timer, before_persist)
                yield done

    # ---- the stages -------------------------------------------------------------------------

    def _guard_input(self, question: str, timer: _Timer) -> RefusalEvent | None:
        """Stage `guard`: empty, too long, control characters or an injection attempt is refused."""
        t = time.perf_counter()
        verdict = check_question(question, self.max_question_chars)
        timer.stage("guard", t)
        if verdict.allowed:
            return None
        finding = verdict.findings[0]
        reason = (
            finding.check if finding.check in ("empty", "too_long", "control_characters") else "injection"
        )
        message = _refusal_message(reason, finding.reason, self.sl.catalog)
        return RefusalEvent(reason=reason, message=in_question_language(message, question))

    def _understand(
        self,
        question: str,
        ctx: RequestContext,
        conversation_id: str,
        timer: _Timer,
        cancel: threading.Event | None,
        since: float,
    ) -> Generator[Event, None, _Understood]:
        """Stages `retrieve` and `plan`: the tenant's lexicon and lookups, then the planner's plan."""
        t = since
        yield StatusEvent(stage="retrieve", message="Looking up your metrics and what they cover")
        knowledge = self.knowledge.for_tenant(ctx.tenant_id)
        lookup = self.knowledge.lookup(ctx.tenant_id, question)  # asked only if the planner needs it
        t = timer.stage("retrieve", t)
        raise_if_cancelled(cancel)
        # a conversation the engine starts here has no earlier turns: no read needed
        previous = self._previous_plan(ctx.tenant_id, conversation_id) if ctx.conversation_id else None
        planner_input = PlannerInput(
            question=question,
            as_of=ctx.as_of,
            catalog=self.sl.catalog,
            lexicon=knowledge.lexicon,
            previous=previous,
            foreign_terms=self.tenants.foreign_terms(ctx.tenant_id),
            default_metric=self._default_metric,
            first_data_date=knowledge.data_version.first_data_date,
            lookup=lookup,
        )
        plan = self._plan(ctx.tenant_id, planner_input, knowledge, lookup, timer)
        if isinstance(plan, MetricPlan):
            plan = self._within_its_definitions(plan, ctx.tenant_id, knowledge.data_version)
        timer.stage("plan", t)
        timer.move("plan", "retrieve", lookup.elapsed_ms)  # retrieval the planner asked for
        raise_if_cancelled(cancel)
        yield PlanEvent(plan=plan, planner=self.planner.name)
        return _Understood(question, plan, planner_input, knowledge, lookup)

    def _within_its_definitions(self, plan: MetricPlan, tenant_id: str, version: DataVersion) -> Plan:
        """The plan, or a question back when its figures cannot answer for its filters: a rate
        narrowed through a partner its denominator's facts may lack (`partner_scope`), a figure held
        to a value its definition leaves out (`excluded_values`). Either planner's plan."""
        sl = self.sl
        return (
            outside_the_partners(
                plan, sl.catalog, lambda m, e: sl.counts_partnerless_facts(m, e, tenant_id, version)
            )
            or excluded_by_definition(
                plan, sl.catalog, lambda m, f: sl.counts_filtered(m, f, tenant_id, version)
            )
            or plan
        )

    def _plan(
        self,
        tenant_id: str,
        planner_input: PlannerInput,
        knowledge: KnowledgeSnapshot,
        lookup: QuestionLookup,
        timer: _Timer,
    ) -> Plan:
        """The planner's plan; a deterministic planner's plan of a question asked again (same
        tenant, data, date and conversation context) from the memo."""
        memo = self.plan_memo
        key = (
            PlanMemo.key(
                tenant_id,
                planner_input,
                manifest_version=self.manifest_version,
                data_version=knowledge.data_version.value,
            )
            if memo is not None
            else None
        )
        if memo is not None and key is not None:
            kept = memo.get(key, planner_input)
            if kept is not None:
                return kept
        if isinstance(self.planner, UsageReportingPlanner):
            plan, usage = self.planner.plan_with_usage(planner_input)
            timer.add_usage(usage)
            return plan
        plan = self.planner.plan(planner_input)
        if memo is not None and key is not None and not lookup.searched:
            memo.put(key, planner_input, plan)
        return plan

    def _answer(
        self,
        understood: _Understood,
        ctx: RequestContext,
        profile: TenantProfile,
        timer: _Timer,
        cancel: threading.Event | None,
        record: _TurnRecord,
    ) -> Iterator[Event]:
        """By the plan's kind: said as it is (clarification, refusal), from the documents, from
        generated SQL, or from the metric query."""
        plan = understood.plan
        # a German question is asked back and refused in German (`asked_in_german`)
        if isinstance(plan, ClarificationPlan):
            asked = in_question_language(plan.question, understood.question)
            record.note(kind="clarification", plan=plan, answer=asked)
            yield ClarificationEvent(question=asked, options=plan.options)
        elif isinstance(plan, RefusalPlan):
            message = in_question_language(plan.message, understood.question)
            record.note(kind="refusal", plan=plan, answer=message)
            yield RefusalEvent(reason=plan.reason, message=message)
        elif isinstance(plan, SqlPlan):
            outcome = yield from self._answer_sql_plan(plan, ctx, profile, timer)
            record.note(kind="data", plan=plan, **outcome)
        elif isinstance(plan, DocumentPlan):
            if off_topic_finding(understood.question) is not None:
                # checked before any passage is quoted: a guide that names the city of a
                # weather question does not answer it (whichever planner chose documents)
                message = in_question_language(
                    _refusal_message("off_topic", "", self.sl.catalog), understood.question
                )
                record.note(kind="refusal", plan=plan, answer=message)
                yield RefusalEvent(reason="off_topic", message=message)
                return
            text = yield from self._answer_document_plan(plan, ctx, timer, understood.lookup)
            record.note(kind="document", plan=plan, answer=text)
        elif isinstance(plan, MetricPlan):
            check = FollowupCheck(understood.planner_input, plan, self.check_plan)
            outcome = yield from self._answer_metric_plan(
                plan, ctx, profile, understood.knowledge, timer, cancel, check
            )
            record.note(kind="data", plan=plan, **outcome)
        else:
            raise UserError("That kind of question is not supported yet.", code="unsupported_plan")

    def _failure(
        self, exc: Exception, ctx: RequestContext, cancel: threading.Event | None
    ) -> tuple[dict[str, str], ErrorEvent | RefusalEvent]:
        """What a failed question says (and what its turn keeps): errors are caught once, here."""
        cancelled = (
            {"kind": "cancelled"},
            ErrorEvent(code="cancelled", message="The question was cancelled."),
        )
        if isinstance(exc, QueryCancelled):
            return cancelled
        if isinstance(exc, InputRejection):
            return {"kind": "refusal", "answer": exc.message}, RefusalEvent(
                reason="injection", message=exc.message
            )
        if isinstance(exc, UserError):
            if cancel is not None and cancel.is_set():  # an interrupted statement reads as a timeout
                return cancelled
            if exc.code in _LOGGED_USER_ERRORS:
                log.info("%s answering for %s: %s", exc.code, ctx.tenant_id, _log_detail(exc))
            return {"answer": exc.message}, ErrorEvent(code=exc.code, message=exc.message)
        if isinstance(exc, MercuriosError):
            log.warning("internal error answering for %s: %s", ctx.tenant_id, exc, exc_info=True)
            return {}, ErrorEvent(code=exc.code, message=f"Something went wrong on our side ({exc.code}).")
        log.exception("unexpected error answering for %s", ctx.tenant_id)
        return {}, ErrorEvent(code="internal", message="Something went wrong on our side (internal).")

    def _persist(
        self,
        turn: Turn,
        ctx: RequestContext,
        conversation_id: str,
        timer: _Timer,
        before_persist: Callable[[str, str], None] | None,
    ) -> DoneEvent:
        """The turn stored (after the channel's `before_persist`), and the `done` event."""
        timings = timer.total()
        if before_persist is not None:
            before_persist(conversation_id, turn.turn_id)
        self.store.append(
            ctx.tenant_id,
            conversation_id,
            turn.model_copy(update={"timings_ms": timings}),
            user_id=ctx.user_id,
        )
        return DoneEvent(
            conversation_id=conversation_id,
            turn_id=turn.turn_id,
            timings_ms=timings,
            cache=timer.cache,
            usage=timer.usage,
        )

    def _previous_plan(self, tenant_id: str, conversation_id: str) -> MetricPlan | None:
        for turn in reversed(self.store.turns(tenant_id, conversation_id)):
            if isinstance(turn.plan, MetricPlan):
                return turn.plan
        return None

    def _answer_metric_plan(
        self,
        plan: MetricPlan,
        ctx: RequestContext,
        profile: TenantProfile,
        knowledge: KnowledgeSnapshot,
        timer: _Timer,
        cancel: threading.Event | None = None,
        followup_check: Callable[[str], bool] | None = None,
    ) -> Generator[Event, None, dict[str, str]]:
        """Yields the answer's events; returns what the turn record keeps (answer text, SQL).
        `followup_check` keeps only suggestions that would answer (see answering/followup_check).

        Outside the data's bounds → said so; else cache → (on a miss) compile + guard + execute
        → compose the answer → cache it."""
        t = time.perf_counter()
        version = knowledge.data_version
        outside = _outside_the_data(plan, version.first_data_date, version.last_data_date, profile)
        if outside is not None:
            yield outside
            return {"answer": outside.text}
        key = cache_key(
            ctx.tenant_id,
            _canonical_plan(plan),
            version.value,
            role=",".join(sorted(ctx.roles)),
            manifest_version=self.manifest_version,
            as_of=ctx.as_of.isoformat(),
            timezone=ctx.timezone,
            locale=profile.locale,
        )
        cached = self.cache.get(key)
        t = timer.stage("cache", t)
        timer.cache = "miss" if cached is None else "hit"
        if cached is not None:
            return (yield from _replay(cached))
        yield StatusEvent(stage="execute", message="Running the query")
        raise_if_cancelled(cancel)
        executed = self._execute_timed(widened(plan, self.sl.catalog), ctx.tenant_id, timer, since=t)
        t = time.perf_counter()
        executed, unknown_note = without_unknown_groups(
            plan,
            executed,
            self.sl.catalog,
            empty_in_table=lambda dim: self.sl.holds_empty_values(dim, ctx.tenant_id, version),
            locale=profile.locale,
            currency=profile.currency,
        )
        events = self._compose_answer(plan, executed, profile, version, timer, followup_check, unknown_note)
        timer.stage("answer", t)
        self.cache.set(key, json.dumps([e.model_dump(mode="json") for e in events]).encode(), CACHE_TTL_S)
        yield from events
        answer = next(e for e in events if isinstance(e, AnswerEvent))
        return {"answer": answer.text, "sql": executed.guarded_sql}

    def _execute_timed(
        self, plan: MetricPlan, tenant_id: str, timer: _Timer, *, since: float
    ) -> ExecutedQuery:
        """Stage `execute`: one call runs compile → guard → execute; its time is split into the
        three so that benchmarks can attribute it."""
        executed = self._execute(plan, tenant_id)
        now = time.perf_counter()
        stage_ms = (now - since) * 1000
        compile_ms, execute_ms = executed.compiled.elapsed_ms, executed.result.elapsed_ms
        timer.timings["compile"] = round(compile_ms, 3)
        timer.timings["sql_guard"] = round(max(0.0, stage_ms - compile_ms - execute_ms), 3)
        timer.timings["execute"] = round(execute_ms, 3)
        record_stage(
            "execute",
            now - stage_ms / 1000,
            now,
            compile_ms=round(compile_ms, 3),
            execute_ms=round(execute_ms, 3),
            rows=len(executed.result.rows),
            truncated=bool(executed.result.truncated),
        )
        return executed

    def _compose_answer(
        self,
        plan: MetricPlan,
        executed: ExecutedQuery,
        profile: TenantProfile,
        version: DataVersion,
        timer: _Timer,
        followup_check: Callable[[str], bool] | None,
        unknown_note: str = "",
    ) -> list[Event]:
        """Stage `answer`: the result as SQL, table, chart (when one shows it), text and follow-ups."""
        view_plan, view_catalog, columns, rows = with_ratio(
            plan, executed.result.column_names, executed.result.rows, self.sl.catalog
        )
        view = ResultView.build(view_plan, columns, rows, view_catalog, truncated=executed.result.truncated)
        text = write_narrative(view, locale=profile.locale, currency=profile.currency)
        if self.narrator is not None:
            # The LLM may phrase it better; its numbers are checked against the result, and any
            # ungrounded number sends us back to the template text.
            narration = self.narrator.write(
                view,
                template=text,
                locale=profile.locale,
                currency=profile.currency,
                question="; ".join(plan.understood),
            )
            timer.add_usage(narration.usage)
            text = narration.text
        text += unknown_note
        text += derived_note(plan, self.sl.catalog)
        text += coverage_notes(plan, version.first_data_date, version.last_data_date, locale=profile.locale)
        events: list[Event] = [
            SqlEvent(sql=executed.guarded_sql, verified=True, dialect=self.sl.dialect),
            _table_event(view, profile),
        ]
        spec = chart_spec(view)
        if spec is not None:
            events.append(ChartEvent(spec=spec))
        events.append(TextDeltaEvent(text=text))
        events.append(
            AnswerEvent(
                text=text,
                followups=tuple(
                    suggest_followups(view, self.sl.catalog, accept=followup_check or (lambda _: True))
                ),
                period=plan.period.label,
                verified=True,
            )
        )
        return events

    def _answer_document_plan(
        self, plan: DocumentPlan, ctx: RequestContext, timer: _Timer, lookup: QuestionLookup
    ) -> Generator[Event, None, str]:
        """From the tenant's own documents only: quoted sentences with numbered citations, or a plain
        "the documents do not say" — never an answer made up around a loosely related chunk."""
        t = time.perf_counter()
        yield StatusEvent(stage="retrieve", message="Searching your documents")
        documents = lookup.documents()  # searched once per question, by the planner or now
        from retrieval.document_answers import NOT_FOUND, answer_from_documents  # document questions only

        answer = answer_from_documents(documents) if documents is not None else None
        text = answer.text if answer is not None else NOT_FOUND
        citations = tuple(
            CitationRef(source=c.source, title=c.title, heading=c.heading, chunk=c.chunk)
            for c in (answer.citations if answer is not None else ())
        )
        yield TextDeltaEvent(text=text)
        yield AnswerEvent(text=text, verified=False, citations=citations)
        timer.stage("answer", t)
        return text

    def _answer_sql_plan(
        self, plan: SqlPlan, ctx: RequestContext, profile: TenantProfile, timer: _Timer
    ) -> Generator[Event, None, dict[str, str]]:
        """The guarded-SQL fallback (LLM planner only): the same guard, the same warehouse, and the
        answer labelled "generated SQL, not verified" everywhere it is shown."""
        t = time.perf_counter()
        yield StatusEvent(stage="execute", message="Running generated SQL (not verified)")
        guarded = self.sl.guard(plan.sql, tenant_id=ctx.tenant_id)
        try:
            result = self.sl.warehouse.execute(guarded, timeout_s=self.sl.timeout_s, row_cap=self.sl.row_cap)
        except WarehouseStatementError as exc:  # guarded, scoped — and still not valid SQL for the data
            raise GeneratedSqlFailed(
                f"The generated SQL could not run on your data ({exc.kind}). "
                "Please try rephrasing the question."
            ) from exc
        t = timer.stage("execute", t)
        columns = result.column_names
        formatted = tuple(
            tuple(
                c
                if isinstance(c, str)
                else format_value(c, None, locale=profile.locale, currency=profile.currency)
                for c in row
            )
            for row in result.rows[:TABLE_PREVIEW_ROWS]
        )
        if len(result.rows) == 1 and len(columns) == 1:
            text = f"The result is {formatted[0][0]}."
        else:
            text = f"The query returned {len(result.rows)} row{'s' if len(result.rows) != 1 else ''}."
        text += " (Generated SQL, not verified.)"
        yield SqlEvent(sql=guarded.sql, verified=False, dialect=self.sl.dialect)
        yield TableEvent(
            columns=columns,
            labels=columns,
            rows=tuple(tuple(_jsonable(c) for c in r) for r in result.rows[:TABLE_PREVIEW_ROWS]),
            formatted=formatted,
            truncated=result.truncated or len(result.rows) > TABLE_PREVIEW_ROWS,
            total_rows=len(result.rows),
        )
        yield TextDeltaEvent(text=text)
        yield AnswerEvent(text=text, verified=False)
        timer.stage("answer", t)
        return {"answer": text, "sql": guarded.sql}

    def check_plan(self, plan: MetricPlan) -> None:
        """Raise the `UserError` that `_execute` would raise for `plan` before running anything, by
        our own rules and without compiling (see `SemanticLayer.check`); mirrors its roads."""
        if plan.drill_down:
            self.sl.check(plan.query, comparison=plan.comparison or "previous_period")
        elif plan.comparison is not None:
            self.sl.check(plan.query, comparison=plan.comparison)
        else:
            self.sl.check(plan.query, share=plan.share_of_total)

    def _execute(self, plan: MetricPlan, tenant_id: str) -> ExecutedQuery:
        if plan.drill_down:
            return self._drill_down(plan, tenant_id)
        if plan.comparison is not None:
            return self.sl.compare(plan.query, tenant_id, plan.comparison)
        if plan.share_of_total:
            return _focused(self.sl.share(plan.query, tenant_id), plan)
        return self.sl.run(plan.query, tenant_id)

    def _drill_down(self, plan: MetricPlan, tenant_id: str) -> ExecutedQuery:
        """'why?': compare by each explaining dimension — up to two of each breakdown role (location,
        product, channel, customer) the metric reaches; keep the one whose parts moved most."""
        metric = self.sl.catalog.metric(plan.query.metrics[0])
        candidates = (
            [d.name for d in breakdown_dimensions(self.sl.catalog, metric, per_role=EXPLAINING_PER_ROLE)]
            if metric is not None
            else []
        )
        best: tuple[float, ExecutedQuery] | None = None
        mode = plan.comparison or "previous_period"
        for dim in candidates or []:
            query = plan.query.model_copy(update={"group_by": (dim,)})
            executed = self.sl.compare(query, tenant_id, mode)
            names = [c.lower() for c in executed.result.column_names]
            col = f"{plan.query.metrics[0]}__change".lower()
            if col not in names:
                continue
            i = names.index(col)
            changes = [r[i] for r in executed.result.rows]
            spread = max(
                (abs(float(c)) for c in changes if isinstance(c, int | float | decimal.Decimal)), default=0.0
            )
            if best is None or spread > best[0]:
                best = (spread, executed)
        if best is None:
            return self.sl.compare(plan.query, tenant_id, mode)
        return best[1]


EXPLAINING_PER_ROLE = 2  # a drill-down runs one comparison per candidate dimension


def _focused(executed: ExecutedQuery, plan: MetricPlan) -> ExecutedQuery:
    """'What share of shipments were booked via EDI?': the share of the value named, its row alone
    (computed over every row first), with the whole it is a share of (`<m>__total`). With
    `focus_only` off, or no row of the value, every row — and no whole, which every row would
    repeat."""
    result = executed.result
    names = [c.lower() for c in result.column_names]
    column = plan.query.group_by[0].lower() if plan.query.group_by else ""
    rows: tuple[tuple[CellValue, ...], ...] = ()
    if plan.focus_only and plan.focus and column in names:
        i = names.index(column)
        wanted = {f.casefold() for f in plan.focus}
        rows = tuple(r for r in result.rows if str(r[i]).casefold() in wanted)
    if rows:
        return dataclasses.replace(executed, result=dataclasses.replace(result, rows=rows))
    kept = [k for k, c in enumerate(names) if not c.endswith(TOTAL_SUFFIX)]
    if len(kept) == len(names):
        return executed
    columns = tuple(result.columns[k] for k in kept)
    every = tuple(tuple(r[k] for k in kept) for r in result.rows)
    return dataclasses.replace(executed, result=dataclasses.replace(result, columns=columns, rows=every))


def _outside_the_data(
    plan: MetricPlan, first: dt.date | None, last: dt.date | None, profile: TenantProfile
) -> AnswerEvent | None:
    """A period wholly after the last or before the first day of data is answered as such."""
    if last is not None and plan.period.start is not None and plan.period.start > last:
        text = no_data_yet(plan.period.end or plan.period.start, last, locale=profile.locale)
        return AnswerEvent(text=text, period=plan.period.label, verified=True)
    if first is not None and plan.period.end is not None and plan.period.end < first:
        text = no_data_before(plan.period.start, plan.period.end, first, locale=profile.locale)
        return AnswerEvent(text=text, period=plan.period.label, verified=True)
    return None


def _replay(cached: bytes) -> Generator[Event, None, dict[str, str]]:
    """A cached answer's events, marked cached; returns what the turn record keeps."""
    outcome: dict[str, str] = {}
    for event in (_event_from_json(e) for e in json.loads(cached)):
        if isinstance(event, AnswerEvent):
            event = event.model_copy(update={"cached": True})
            outcome["answer"] = event.text
        if isinstance(event, SqlEvent):
            outcome["sql"] = event.sql
        yield event
    return outcome


def _canonical_plan(plan: MetricPlan) -> str:
    """The plan without the planner's wording notes: paraphrases that plan alike share a key."""
    return json.dumps(plan.model_dump(mode="json", exclude={"understood"}), sort_keys=True)


def _log_detail(exc: UserError) -> str:
    """The message, plus the warehouse's own words when it refused a generated statement."""
    cause = exc.__cause__
    return f"{exc.message} [{cause}]" if isinstance(cause, MercuriosError) else exc.message


def _followups_in_question_language(event: Event, question: str) -> Event:
    """A German question's follow-up suggestions in German (after the cache: an answer cached for
    an English question is offered in German to a German one, and the other way round)."""
    if not isinstance(event, AnswerEvent) or not event.followups:
        return event
    return event.model_copy(update={"followups": followups_in_question_language(event.followups, question)})


def _refusal_message(reason: str, detail: str, catalog: Catalog) -> str:
    """Refusals of the input guard; examples in the project's own metrics (`answering.examples`)."""
    example = example_question(catalog)
    if reason == "empty":
        return f"Please type a question, for example: '{example}'."
    if reason == "too_long":
        return f"That question is too long ({detail}). Please shorten it."
    if reason == "control_characters":
        return f"That question contains characters nobody types ({detail}). Please retype it."
    return f"I can't help with that. I answer questions about your business data, like '{example}'."


def _table_event(view: ResultView, profile: TenantProfile) -> TableEvent:
    rows = view.rows[:TABLE_PREVIEW_ROWS]
    # a yes/no breakdown's cells read as its sides' names ('Weekend night'); the rows keep the values
    formatted = tuple(
        tuple(
            format_value(named, view.fmt(col), locale=profile.locale, currency=profile.currency)
            if not isinstance(named := view.named(col, cell), str)
            else named
            for col, cell in zip(view.columns, row, strict=True)
        )
        for row in rows
    )
    return TableEvent(
        columns=view.columns,
        labels=tuple(view.labels[c] for c in view.columns),
        rows=tuple(tuple(_jsonable(c) for c in r) for r in rows),
        formatted=formatted,
        truncated=view.truncated or len(view.rows) > TABLE_PREVIEW_ROWS,
        total_rows=len(view.rows),
    )


def _jsonable(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


_EVENT_TYPES = {
    cls.model_fields["type"].default: cls
    for cls in (SqlEvent, TableEvent, ChartEvent, TextDeltaEvent, AnswerEvent, StatusEvent)
}


def _event_from_json(data: dict[str, object]) -> Event:
    cls = _EVENT_TYPES[str(data["type"])]
    return cls.model_validate(data)
