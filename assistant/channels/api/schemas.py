"""Request bodies: strict (unknown fields are refused — there is no tenant field to smuggle in)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from assistant.runtime.text_input import PlainTextModel, RequestDate
from semantic_layer.query import Filter, Grain, OrderBy, TimeRange

ConversationId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
TurnId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
Origin = Annotated[str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", max_length=255)]


class Strict(PlainTextModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AskRequest(Strict):
    question: str = Field(max_length=4000)
    conversation_id: ConversationId | None = None
    as_of: RequestDate | None = None


class FeedbackRequest(Strict):
    conversation_id: ConversationId
    turn_id: TurnId
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=4000)
    corrected_plan: dict[str, Any] | None = None


class QueryRequest(Strict):
    metrics: tuple[Annotated[str, StringConstraints(max_length=200)], ...] = Field(
        min_length=1, max_length=20
    )
    group_by: tuple[str, ...] = Field(default=(), max_length=10)
    time_grain: Grain = Grain.DAY
    filters: tuple[Filter, ...] = Field(default=(), max_length=20)
    time_range: TimeRange = TimeRange()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = Field(default=None, ge=1, le=10_000)


class WidgetTokenRequest(Strict):
    user_id: str = Field(min_length=1, max_length=200)
    origin: Origin
    ttl_s: int = Field(default=900, ge=30)


class KeyCreateRequest(Strict):
    role: Literal["admin", "analyst", "viewer"]
    name: str = Field(default="", max_length=200)


class CorsUpdateRequest(Strict):
    origins: tuple[Origin, ...] = Field(max_length=50)


class TenantCreateRequest(Strict):
    tenant_id: str = Field(max_length=63)
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    timezone: str = Field(default="Europe/Berlin", max_length=64)
    locale: str = Field(default="de-DE", max_length=16)
    cors_origins: tuple[Origin, ...] = ()
    retention_days: int = Field(default=365, ge=1, le=3650)
