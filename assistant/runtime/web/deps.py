"""`Annotated` dependencies: the services of this app, the caller, and role requirements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from assistant.runtime.app_services import ApiServices
from assistant.runtime.persistence.key_store import Role
from assistant.runtime.web.auth import Principal, authenticate, needs_io
from assistant.runtime.web.errors import Forbidden


async def get_services(request: Request) -> ApiServices:  # async: no worker-thread hop for a lookup
    services: ApiServices = request.app.state.services
    return services


Services = Annotated[ApiServices, Depends(get_services)]


async def get_caller(request: Request, services: Services) -> Principal:
    """On the event loop when every answer is in memory (a key verified moments ago, fresh tenant
    settings, in-process rate limits); on a worker thread when the database or Redis is asked."""
    if needs_io(request, services):
        return await run_in_threadpool(authenticate, request, services)
    return authenticate(request, services)


Caller = Annotated[Principal, Depends(get_caller)]


def require(role: Role, *, keys_only: bool = False) -> Callable[[Principal], Principal]:
    def check(caller: Caller) -> Principal:
        if keys_only and caller.kind != "key":
            raise Forbidden("this needs an API key, not a widget token", code="forbidden_role")
        if not caller.allows(role):
            raise Forbidden(f"this needs the {role} role (you have {caller.role})", code="forbidden_role")
        return caller

    return check


Analyst = Annotated[Principal, Depends(require("analyst"))]
AnalystKey = Annotated[Principal, Depends(require("analyst", keys_only=True))]
Admin = Annotated[Principal, Depends(require("admin", keys_only=True))]
