"""`POST /v1/chat` (the engine's events over SSE) and `POST /v1/ask` (one JSON answer)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse

from assistant.channels.api.schemas import AskRequest
from assistant.core.context import RequestContext
from assistant.core.events import Event, collect
from assistant.runtime.app_services import ApiServices
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.deps import Caller, Services
from guardrails.errors import NotFoundError

router = APIRouter(prefix="/v1", tags=["chat"])


class _AnswerJSON(JSONResponse):
    """The ask contract's types are JSON already (dates as ISO strings); `default=str` is the
    same safety net the CLI's `--json` uses."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, default=str).encode()


def conversation_for(services: ApiServices, caller: Principal, conversation_id: str | None) -> str | None:
    """The conversation to continue (it must be the caller's), or None for a new one: the engine
    then starts it, and the turn's own transaction records it with the caller as its owner."""
    if conversation_id is None:
        return None
    info = services.conversations.info(caller.tenant_id, conversation_id)
    if info is None or (caller.kind == "widget" and info.user_id != caller.user_id):
        raise NotFoundError("no such conversation", code="conversation_not_found")
    return conversation_id


def request_context(services: ApiServices, caller: Principal, body: AskRequest) -> RequestContext:
    profile = services.tenants.get(caller.tenant_id).profile
    return RequestContext(
        tenant_id=caller.tenant_id,
        user_id=caller.user_id,
        roles=(caller.role,),
        conversation_id=conversation_for(services, caller, body.conversation_id),
        as_of=body.as_of or services.clock.today(profile.timezone),
        locale=profile.locale,
        timezone=profile.timezone,
        currency=profile.currency,
    )


def _sse(events: AsyncIterator[Event]) -> AsyncIterator[dict[str, str]]:
    async def gen() -> AsyncIterator[dict[str, str]]:
        n = 0
        async for event in events:
            n += 1
            yield {"event": event.type, "id": str(n), "data": event.model_dump_json()}

    return gen()


@router.post("/chat", summary="Ask a question; the answer streams as server-sent events")
def chat(body: AskRequest, caller: Caller, services: Services, request: Request) -> EventSourceResponse:
    ctx = request_context(services, caller, body)
    runner = request.app.state.runner
    return EventSourceResponse(
        _sse(runner.events(body.question, ctx, caller)),
        ping=services.settings.api.sse_ping_s,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/ask", summary="Ask a question; one JSON answer (the `mercurios ask --json` contract)")
async def ask(body: AskRequest, caller: Caller, services: Services, request: Request) -> JSONResponse:
    # One worker-thread job for the whole question (context, engine, audit) and one response
    # built from plain JSON types: no per-event hand-offs to the event loop, no re-encoding.
    ctx, events = await request.app.state.runner.answer(
        lambda: request_context(services, caller, body), body.question, caller
    )
    return _AnswerJSON(collect(events, tenant=caller.tenant_id, question=body.question, as_of=ctx.as_of))
