"""`GET /v1/catalog` (what the tenant can ask about) and `POST /v1/query` (a semantic query)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from assistant.channels.api.schemas import QueryRequest
from assistant.runtime.app_services import ApiServices
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.deps import Analyst, Caller, Services
from guardrails.errors import GuardRejection
from semantic_layer.query import SemanticQuery

router = APIRouter(prefix="/v1", tags=["semantic layer"])


class QueryResponse(BaseModel):
    """What `POST /v1/query` answers (documented in the OpenAPI schema; encoded off the event loop)."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    sql: str


@router.get("/catalog")
def catalog(caller: Caller, services: Services) -> dict[str, Any]:
    return catalog_body(services, caller.tenant_id)


def catalog_body(services: ApiServices, tenant_id: str) -> dict[str, Any]:
    """Metrics and dimensions (shared definitions) plus this tenant's own dimension values."""
    cat = services.engine.sl.catalog
    values = services.engine.knowledge.for_tenant(tenant_id).values
    return {
        "metrics": [
            {"name": m.name, "label": m.label, "description": m.description, "dimensions": list(m.dimensions)}
            for m in cat.metrics
        ],
        "dimensions": [
            {
                "name": d.name,
                "label": d.label,
                "description": d.description,
                "values": list(values.get(d.name, ())),
            }
            for d in cat.dimensions
        ],
    }


@router.post("/query", response_model=QueryResponse)
async def query(body: QueryRequest, caller: Analyst, services: Services) -> JSONResponse:
    """On a worker thread once the tenant's fair share of warehouse slots admits it; the response is
    encoded there too (10,000 rows of JSON would otherwise hold the event loop, /healthz with it)."""
    async with services.warehouse_queue.slot(caller.tenant_id):
        return await run_in_threadpool(lambda: JSONResponse(run_query(body, caller, services)))


def run_query(body: QueryRequest, caller: Principal, services: ApiServices) -> dict[str, Any]:
    """One semantic query for the caller's tenant, audited; shared by REST and GraphQL."""
    semantic = SemanticQuery.model_validate(body.model_dump())
    try:
        executed = services.engine.sl.run(semantic, caller.tenant_id)
    except GuardRejection as exc:
        services.metrics.guard_rejection(exc.rule)
        raise
    services.audit.record(
        caller.tenant_id,
        caller.credential,
        "query",
        {"query": body.model_dump(mode="json"), "sql": executed.guarded_sql},
    )
    return {
        "columns": list(executed.result.column_names),
        "rows": [[_jsonable(c) for c in row] for row in executed.result.rows],
        "truncated": executed.result.truncated,
        "sql": executed.guarded_sql,
    }


def _jsonable(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value
