"""Answerers: the engine in process (offline or LLM planner) and a running service over HTTP.

Both ask a case's earlier turns and then its question in one fresh conversation and return the
`--json` contract, so the same judge scores either. Anything that keeps a case from being asked
(unknown tenant, unreachable or refusing API) is a `HarnessError` for that case alone.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx

from assistant import DoneEvent, Engine, Event, RequestContext, collect
from eval.errors import HarnessError
from eval.hostile_sql import HostileSqlPlanner
from eval.protocols import Answer
from eval.suite import Case
from guardrails.errors import MercuriosError


def _usage(events: list[Event]) -> dict[str, float]:
    out: dict[str, float] = {}
    for e in events:
        if isinstance(e, DoneEvent):
            for key, value in e.usage.items():
                if isinstance(value, int | float):
                    out[key] = out.get(key, 0.0) + float(value)
    return out


def _add(a: dict[str, float], b: Mapping[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0.0) + b.get(k, 0.0) for k in {*a, *b}}


def _events(engine: Engine, question: str, ctx: RequestContext) -> list[Event]:
    try:
        return list(engine.ask(question, ctx))
    except Exception as exc:
        raise HarnessError(f"an earlier turn crashed the engine: {type(exc).__name__}: {exc}") from exc


def _crash(case: Case, exc: Exception) -> dict[str, Any]:
    """An exception escaping `Engine.ask` (an engine bug): the user would see an error, no data.
    Recorded as an error answer with code `engine_crash`, so it is scored (and shown) not hidden."""
    return {
        "tenant": case.tenant, "question": case.question, "as_of": case.as_of.isoformat(),
        "kind": "error", "plan": None, "sql": None, "columns": [], "rows": [],
        "answer": f"engine crashed: {type(exc).__name__}: {exc}"[:300], "error_code": "engine_crash",
    }  # fmt: skip


class EngineAnswerer:
    """The engine as a channel drives it. Cases with hostile `sql` go to a twin engine that shares
    the semantic layer, tenants and knowledge but whose planner "writes" that SQL."""

    def __init__(self, engine: Engine, name: str = "offline") -> None:
        self.engine = engine
        self.name = name
        self._hostile_planner = HostileSqlPlanner()
        self._hostile = Engine(
            engine.sl, engine.tenants, planner=self._hostile_planner, knowledge=engine.knowledge
        )

    def _context(self, case: Case, conversation_id: str) -> RequestContext:
        try:
            profile = self.engine.tenants.get(case.tenant)
        except MercuriosError as exc:
            raise HarnessError(f"cannot ask for tenant {case.tenant!r}: {exc}") from exc
        return RequestContext(
            tenant_id=case.tenant,
            user_id="eval",
            roles=("analyst",),
            conversation_id=conversation_id,
            as_of=case.as_of,
            locale=profile.locale,
            timezone=profile.timezone,
            currency=profile.currency,
        )

    def answer(self, case: Case, run_tag: str) -> Answer:
        ctx = self._context(case, f"eval-{run_tag}{case.id}")
        if case.documents:
            from eval.planted_documents import planted_engine

            with planted_engine(self.engine, case.tenant, case.documents) as planted:
                return self._ask(planted, case, ctx)
        engine = self.engine
        if case.sql is not None:
            self._hostile_planner.use(case.sql)
            engine = self._hostile
        return self._ask(engine, case, ctx)

    def _ask(self, engine: Engine, case: Case, ctx: RequestContext) -> Answer:
        usage: dict[str, float] = {}
        for turn in case.turns:
            usage = _add(usage, _usage(_events(engine, turn, ctx)))
        started = time.perf_counter()
        try:
            events = list(engine.ask(case.question, ctx))
        except Exception as exc:  # what a channel's catch-all turns into an error answer
            return Answer(_crash(case, exc), (time.perf_counter() - started) * 1000, usage)
        latency = (time.perf_counter() - started) * 1000
        contract = collect(events, tenant=case.tenant, question=case.question, as_of=case.as_of)
        return Answer(contract, latency, _add(usage, _usage(events)))


class ApiAnswerer:
    """`POST /v1/ask` of a running service (`--api URL --key K`). A key belongs to one tenant, so
    keys are given per tenant (`tenant=KEY`) or one key for all; an answer for another tenant than
    the case's is reported as a harness error, never scored."""

    name = "api"

    def __init__(self, base_url: str, keys: Mapping[str, str], *, timeout_s: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.keys = dict(keys)
        self._client = httpx.Client(timeout=timeout_s)

    def _key(self, tenant: str) -> str:
        key = self.keys.get(tenant) or self.keys.get("*")
        if key is None:
            raise HarnessError(f"no API key for tenant {tenant!r} (give --key {tenant}=KEY)")
        return key

    def _post(self, case: Case, question: str, conversation_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"question": question, "as_of": case.as_of.isoformat()}
        if conversation_id:
            body["conversation_id"] = conversation_id
        try:
            response = self._client.post(
                f"{self.base_url}/v1/ask",
                json=body,
                headers={"Authorization": f"Bearer {self._key(case.tenant)}"},
            )
        except httpx.HTTPError as exc:
            raise HarnessError(f"API unreachable at {self.base_url}: {exc}") from exc
        if response.status_code != 200:
            raise HarnessError(f"API answered HTTP {response.status_code}: {response.text[:200]}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise HarnessError(f"API answered non-JSON: {response.text[:200]}") from exc
        if not isinstance(payload, dict) or "kind" not in payload:
            raise HarnessError("API answer lacks the `ask --json` contract (no 'kind')")
        if payload.get("tenant") not in (None, case.tenant):
            raise HarnessError(f"the key answers for tenant {payload.get('tenant')!r}, not {case.tenant!r}")
        return payload

    def answer(self, case: Case, run_tag: str) -> Answer:
        if case.sql is not None:
            raise HarnessError("hostile-SQL cases need the in-process engine (no API road for raw SQL)")
        if case.documents:
            raise HarnessError(
                "planted-document cases need the in-process engine (no API road to plant files)"
            )
        conversation: str | None = None
        for turn in case.turns:
            conversation = self._post(case, turn, conversation).get("conversation_id") or conversation
        started = time.perf_counter()
        payload = self._post(case, case.question, conversation)
        latency = (time.perf_counter() - started) * 1000
        payload.setdefault("rows", [])
        payload.setdefault("columns", [])
        payload.setdefault("answer", "")
        payload.setdefault("plan", None)
        payload.setdefault("sql", None)
        return Answer(payload, latency)

    def close(self) -> None:
        self._client.close()
