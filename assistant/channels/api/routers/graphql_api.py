"""`/graphql`: the semantic layer as a GraphQL data API for dashboards and BI tools.

It is a second spelling of `GET /v1/catalog` and `POST /v1/query`, not a second road to the data:
the caller is authenticated by the same dependency (analyst or above; the tenant comes from the
credential — no argument names a tenant), the query input is validated by the same strict
`QueryRequest`, and it runs through the same `run_query` (compile, guard, execute, audit).
Errors carry a stable `extensions.code`; internal errors show only their code.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from strawberry.fastapi import BaseContext, GraphQLRouter
from strawberry.scalars import JSON
from strawberry.types import Info

from assistant.channels.api.graphql_limits import limit_extensions
from assistant.channels.api.routers.catalog import catalog_body, run_query
from assistant.channels.api.schemas import QueryRequest
from assistant.runtime.app_services import ApiServices
from assistant.runtime.settings import Settings
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.deps import Analyst, Services
from guardrails.errors import MercuriosError, UserError

log = logging.getLogger("mercurios.api")


class GraphQLContext(BaseContext):
    def __init__(self, caller: Principal, services: ApiServices) -> None:
        super().__init__()
        self.caller = caller
        self.services = services
        self.queries = 0  # warehouse queries resolved so far in this request

    async def count_query(self) -> None:
        """The request itself was counted once by authentication; each further warehouse query
        counts once more against the caller's rate limit (the same budget /v1/query spends)."""
        self.queries += 1
        if self.queries == 1:
            return
        limiter = self.services.rate_limiter
        if limiter.is_local:
            limiter.check(self.caller.tenant_id, self.caller.credential)
        else:
            await run_in_threadpool(limiter.check, self.caller.tenant_id, self.caller.credential)


def _context(caller: Analyst, services: Services) -> GraphQLContext:
    return GraphQLContext(caller, services)


def _error(code: str, message: str) -> Exception:
    return GraphQLError(message, extensions={"code": code})


@strawberry.type
class Metric:
    name: str
    label: str
    description: str
    dimensions: list[str]


@strawberry.type
class Dimension:
    name: str
    label: str
    description: str
    values: list[str]


@strawberry.type
class QueryResult:
    columns: list[str]
    rows: list[list[JSON | None]]
    truncated: bool
    sql: str


@strawberry.input
class FilterInput:
    dimension: str
    operator: str = "="
    values: list[JSON]


@strawberry.input
class TimeRangeInput:
    start: dt.date | None = None
    end: dt.date | None = None


@strawberry.input
class OrderByInput:
    name: str
    descending: bool = False


def _ctx(info: Info[GraphQLContext, None]) -> GraphQLContext:
    return info.context


@strawberry.type
class Query:
    @strawberry.field(description="Metrics the tenant can ask about.")
    async def metrics(self, info: Info[GraphQLContext, None]) -> list[Metric]:
        c = _ctx(info)
        body = await run_in_threadpool(catalog_body, c.services, c.caller.tenant_id)
        return [Metric(**m) for m in body["metrics"]]

    @strawberry.field(description="Dimensions, with this tenant's own values.")
    async def dimensions(self, info: Info[GraphQLContext, None]) -> list[Dimension]:
        c = _ctx(info)
        body = await run_in_threadpool(catalog_body, c.services, c.caller.tenant_id)
        return [
            Dimension(
                name=d["name"],
                label=d["label"],
                description=d["description"],
                values=[str(v) for v in d["values"]],
            )
            for d in body["dimensions"]
        ]

    @strawberry.field(description="One semantic query (metrics by dimensions), scoped to the tenant.")
    async def query(
        self,
        info: Info[GraphQLContext, None],
        metrics: list[str],
        group_by: list[str] | None = None,
        grain: str = "day",
        filters: list[FilterInput] | None = None,
        time_range: TimeRangeInput | None = None,
        order_by: list[OrderByInput] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        c = _ctx(info)
        raw: dict[str, Any] = {
            "metrics": metrics,
            "group_by": group_by or [],
            "time_grain": grain,
            "filters": [
                {"dimension": f.dimension, "operator": f.operator, "values": f.values} for f in filters or []
            ],
            "time_range": {"start": time_range.start, "end": time_range.end} if time_range else {},
            "order_by": [{"name": o.name, "descending": o.descending} for o in order_by or []],
            "limit": limit,
        }
        try:
            body = QueryRequest.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _error("invalid_request", f"{where}: {first['msg']}") from None
        try:
            await c.count_query()
            async with c.services.warehouse_queue.slot(c.caller.tenant_id):
                result = await run_in_threadpool(run_query, body, c.caller, c.services)
        except UserError as exc:
            raise _error(exc.code, exc.message) from None
        except MercuriosError as exc:
            log.error("graphql query failed", extra={"code": exc.code, "tenant": c.caller.tenant_id})
            raise _error(exc.code, f"Something went wrong on our side ({exc.code}).") from None
        except Exception:
            log.exception("graphql query crashed", extra={"tenant": c.caller.tenant_id})
            raise _error("internal", "Something went wrong on our side.") from None
        return QueryResult(**result)


class _Schema(strawberry.Schema):
    """Bad input is the caller's business, not an ERROR with a traceback in our logs (internal
    failures are logged where they are caught, with the tenant)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            log.info("graphql request refused: %s", error.message)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the request limits of `settings` (see `graphql_limits`)."""
    return _Schema(
        query=Query,
        extensions=limit_extensions(
            max_queries=settings.api.graphql_max_queries,
            max_aliases=settings.api.graphql_max_aliases,
            max_depth=settings.api.graphql_max_depth,
            max_tokens=settings.api.graphql_max_tokens,
        ),
    )


def graphql_router(settings: Settings) -> GraphQLRouter[GraphQLContext, None]:
    """POST only, no in-browser IDE (it would load scripts from a CDN); auth runs before parsing,
    the limits when the document is parsed and validated — both before any resolver runs."""
    return GraphQLRouter(
        build_schema(settings),
        path="/graphql",
        context_getter=_context,  # its parameters are FastAPI dependencies: auth happens here
        graphql_ide=None,
        allow_queries_via_get=False,
    )
