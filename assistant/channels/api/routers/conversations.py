"""`GET/DELETE /v1/conversations/{id}` and `POST /v1/feedback`, always within the caller's tenant."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from assistant.channels.api.schemas import ConversationId, FeedbackRequest
from assistant.runtime.app_services import ApiServices
from assistant.runtime.persistence.conversation_store import TurnUsage
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.deps import Caller, Services
from guardrails.errors import NotFoundError

router = APIRouter(prefix="/v1", tags=["conversations"])

ConversationPath = Annotated[ConversationId, Path(description="32 hex characters")]


def _visible(services: ApiServices, caller: Principal, conversation_id: str) -> None:
    """Not found unless it is this tenant's — and, for a widget user, their own."""
    info = services.conversations.info(caller.tenant_id, conversation_id)
    if info is None or (caller.kind == "widget" and info.user_id != caller.user_id):
        raise NotFoundError("no such conversation", code="conversation_not_found")


@router.get("/conversations/{conversation_id}")
def get_conversation(conversation_id: ConversationPath, caller: Caller, services: Services) -> dict[str, Any]:
    _visible(services, caller, conversation_id)
    turns = services.conversations.turns(caller.tenant_id, conversation_id)
    usage = services.conversations.usage(caller.tenant_id, conversation_id)
    return {
        "conversation_id": conversation_id,
        "turns": [
            {**t.model_dump(mode="json"), "usage": asdict(usage.get(t.turn_id, TurnUsage()))} for t in turns
        ],
    }


@router.delete("/conversations/{conversation_id}", status_code=204)
def delete_conversation(conversation_id: ConversationPath, caller: Caller, services: Services) -> Response:
    _visible(services, caller, conversation_id)
    services.conversations.delete(caller.tenant_id, conversation_id)
    services.audit.record(
        caller.tenant_id, caller.credential, "conversation.delete", {"conversation_id": conversation_id}
    )
    return Response(status_code=204)


@router.post("/feedback", status_code=201)
def feedback(body: FeedbackRequest, caller: Caller, services: Services) -> dict[str, Any]:
    _visible(services, caller, body.conversation_id)
    if not services.conversations.has_turn(caller.tenant_id, body.conversation_id, body.turn_id):
        raise NotFoundError("no such turn in this conversation", code="turn_not_found")
    feedback_id = services.feedback.add(
        caller.tenant_id,
        conversation_id=body.conversation_id,
        turn_id=body.turn_id,
        user_id=caller.user_id,
        rating=body.rating,
        comment=body.comment,
        corrected_plan=body.corrected_plan,
        audit_actor=caller.credential,
    )
    return {"feedback_id": feedback_id}
