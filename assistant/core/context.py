"""`RequestContext`: who asks, for which tenant, and what "today" means for them.

A channel builds it from an authenticated request — the tenant always comes from the
credential, never from the question — and hands it to the engine with the question.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

TENANT_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class RequestContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    user_id: str = "anonymous"
    roles: tuple[str, ...] = ("viewer",)
    conversation_id: str | None = None
    as_of: dt.date = Field(description="The date treated as today, in the tenant's timezone.")
    locale: str = "de-DE"
    timezone: str = "Europe/Berlin"
    currency: str = "EUR"

    @field_validator("tenant_id")
    @classmethod
    def _tenant_id_shape(cls, value: str) -> str:
        if not TENANT_ID_PATTERN.fullmatch(value):
            raise ValueError(f"malformed tenant id {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value
