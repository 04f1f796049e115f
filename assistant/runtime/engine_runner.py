"""Runs one question on a worker thread and hands its events to the event loop as they come.

The engine is synchronous (DuckDB, MetricFlow); each question gets a worker thread from a bounded
pool and a `CancelScope` bound to that thread. When the consumer stops listening (the SSE client
disconnected), the scope is set: the engine stops at its next stage and a running DuckDB
statement is interrupted. The audit record is written on the same thread when the question ends.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar, cast

from assistant.core.context import RequestContext
from assistant.core.events import (
    AnswerEvent,
    ChartEvent,
    ErrorEvent,
    Event,
    SqlEvent,
    TableEvent,
    TextDeltaEvent,
    TurnSummary,
)
from assistant.core.tracing import annotate
from assistant.runtime.app_services import ApiServices
from assistant.runtime.cancellation import CancelScope, bind_scope
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.errors import ServiceUnavailable
from guardrails.errors import MercuriosError, UserError
from guardrails.text import printable

log = logging.getLogger("mercurios.api")
_END = object()
T = TypeVar("T")
# what carries the answer itself: held back until the turn's audit record is written
_ANSWER_EVENTS = (SqlEvent, TableEvent, ChartEvent, TextDeltaEvent, AnswerEvent)


class AuditUnavailable(ServiceUnavailable):
    """The turn's audit record could not be written: its answer is withheld (a 503)."""

    code = "audit_unavailable"


class EngineRunner:
    def __init__(self, services: ApiServices, *, max_workers: int = 32) -> None:
        self.services = services
        self.pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="mercurios-engine")

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)

    def _run(
        self, question: str, ctx: RequestContext, caller: Principal, scope: CancelScope, put: object
    ) -> None:
        """Progress events go out as they come; the answer's events (SQL, rows, chart, text) are
        held until the engine has written the audit record and the turn, so that no data leaves
        for a turn that could not be recorded: then only an `audit_unavailable` error goes out."""
        assert callable(put)
        bind_scope(scope)
        events: list[Event] = []
        held: list[Event] = []

        def write_audit(conversation_id: str, turn_id: str) -> None:
            detail = _audit_detail(question, TurnSummary.from_events(events), caller)
            detail["conversation_id"], detail["turn_id"] = conversation_id, turn_id
            try:
                self.services.audit.record(ctx.tenant_id, caller.credential, "ask", detail)
            except Exception as exc:
                raise AuditUnavailable(
                    "the answer could not be recorded in the audit log, so it was withheld; try again shortly"
                ) from exc

        try:
            steps = self.services.engine.ask(
                question, ctx, cancel=scope, before_persist=write_audit, persist_in=self._one_write
            )
            for event in steps:
                events.append(event)
                if held or isinstance(event, _ANSWER_EVENTS):
                    held.append(event)
                else:
                    put(event)
            for event in held:
                put(event)
            turn = TurnSummary.from_events(events)
            self.services.metrics.observe_turn(turn)
            done = turn.done
            if done is not None:
                annotate(cache=done.cache or "none", turn_kind=turn.turn_kind)
            if done is not None and done.usage:
                self.services.conversations.record_usage(ctx.tenant_id, done.turn_id, done.usage)
        except MercuriosError as exc:
            message = (
                exc.message
                if isinstance(exc, UserError | AuditUnavailable)
                else f"Something went wrong on our side ({exc.code})."
            )
            log.error(
                "question failed", extra={"code": exc.code, "tenant": ctx.tenant_id}, exc_info=exc.__cause__
            )
            put(ErrorEvent(code=exc.code, message=message))
        except Exception:
            log.exception("question crashed", extra={"tenant": ctx.tenant_id})
            put(ErrorEvent(code="internal", message="Something went wrong on our side."))
        finally:
            bind_scope(None)
            put(_END)

    @contextmanager
    def _one_write(self) -> Iterator[None]:
        """The audit record and the turn in one transaction of the app database (one commit per
        question, not two); a failed commit withholds the answer as a failed audit write does."""
        db = self.services.audit.db
        if db is not getattr(self.services.conversations, "db", None):
            yield  # two databases: two transactions, as before
            return
        written = False
        try:
            with db.one_transaction():
                yield
                written = True
        except Exception as exc:
            if written:  # the commit itself failed: nothing of the turn was recorded
                raise AuditUnavailable(
                    "the answer could not be recorded in the audit log, so it was withheld; try again shortly"
                ) from exc
            raise

    async def _admitted(self, tenant_id: str, fn: Callable[..., T], *args: object) -> asyncio.Future[T]:
        """`fn(*args)` on a worker thread once the tenant's fair share of question slots admits it
        (waiting on the event loop, holding no thread); the slot is freed when the job ends."""
        slots = self.services.question_queue
        await slots.acquire(tenant_id)
        try:
            future = asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)
        except BaseException:
            slots.release(tenant_id)
            raise
        future.add_done_callback(lambda _: slots.release(tenant_id))
        return future

    async def answer(
        self, context: Callable[[], RequestContext], question: str, caller: Principal
    ) -> tuple[RequestContext, list[Event]]:
        """The whole turn in one worker-thread job (its context too), the events returned at once:
        for `/v1/ask`, which has no stream to feed. A cancelled request stops the question."""
        scope = CancelScope()
        events: list[Event] = []

        def job() -> RequestContext:
            ctx = context()
            self._run(question, ctx, caller, scope, lambda e: events.append(e) if e is not _END else None)
            return ctx

        # the worker thread runs in a copy of this task's context: its stage spans join the
        # request's trace (run_in_executor alone would start them in an empty context)
        future = await self._admitted(caller.tenant_id, contextvars.copy_context().run, job)
        try:
            ctx = await asyncio.shield(future)
        except asyncio.CancelledError:
            scope.set()
            raise
        failed = next(
            (e for e in events if isinstance(e, ErrorEvent) and e.code == AuditUnavailable.code), None
        )
        if failed is not None:
            raise AuditUnavailable(failed.message)
        return ctx, events

    async def events(self, question: str, ctx: RequestContext, caller: Principal) -> AsyncIterator[Event]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        scope = CancelScope()

        def put(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop is gone (server shutting down): nobody is listening
                scope.set()

        future = await self._admitted(
            ctx.tenant_id, contextvars.copy_context().run, self._run, question, ctx, caller, scope, put
        )
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    break
                yield cast(Event, item)
        finally:
            if not future.done():
                scope.set()


def _audit_detail(question: str, turn: TurnSummary, caller: Principal) -> dict[str, object]:
    """Who asked what, what ran, how it ended — never result rows."""
    detail: dict[str, object] = {"question": printable(question)[:4000], "user": caller.user_id}
    detail["outcome"] = turn.outcome
    if turn.sql is not None:
        detail["sql"] = turn.sql.sql
    answers = [o for o in turn.outcomes if isinstance(o, AnswerEvent)]
    if answers:
        detail["cached"] = answers[-1].cached
    return detail
