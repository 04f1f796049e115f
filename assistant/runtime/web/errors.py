"""One error mapping for the whole API: `{"error": {"code", "message"}}` with a fitting status.

Domain code raises our own `UserError` / `InternalError` subclasses and never `HTTPException`;
this module is the only place that knows HTTP status codes. Internal errors show their code and
a generic message — details go to the log, never to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.runtime.persistence.database import DatabaseUnavailable
from assistant.runtime.text_input import ERROR_TYPE as CONTROL_CHARACTERS
from assistant.runtime.web.denials import should_audit
from guardrails.errors import InputRejection, InternalError, MercuriosError, NotFoundError, UserError

log = logging.getLogger("mercurios.api")


class Unauthorized(UserError):
    code = "unauthorized"


class Forbidden(UserError):
    code = "forbidden"


class PayloadTooLarge(UserError):
    code = "payload_too_large"


class RateLimited(UserError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Conflict(UserError):
    code = "conflict"


class ServiceUnavailable(InternalError):
    code = "unavailable"


def status_for(exc: MercuriosError) -> int:
    if isinstance(exc, Unauthorized):
        return 401
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, PayloadTooLarge):
        return 413
    if isinstance(exc, InputRejection):
        return 422
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, UserError):
        return 400
    if isinstance(exc, DatabaseUnavailable | ServiceUnavailable):
        return 503
    return 500


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(exc: MercuriosError) -> JSONResponse:
    status = status_for(exc)
    message = (
        exc.message if isinstance(exc, UserError) or status == 503 else "Something went wrong on our side."
    )
    headers = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, RateLimited) else None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse(error_body(exc.code, message), status_code=status, headers=headers)


def _validation_code(errors: list[Any]) -> tuple[int, str]:
    kinds = {str(e.get("type", "")) for e in errors if isinstance(e, dict)}
    if "json_invalid" in kinds:
        return 400, "malformed_json"
    if "extra_forbidden" in kinds:
        return 422, "unknown_field"
    if CONTROL_CHARACTERS in kinds:
        return 422, "control_characters"
    for e in errors:
        loc = tuple(e.get("loc", ())) if isinstance(e, dict) else ()
        if loc[:1] == ("path",) and len(loc) > 1:
            return 422, f"invalid_{loc[1]}"
    return 422, "invalid_request"


def _describe(errors: list[Any]) -> str:
    parts = []
    for e in errors[:5]:
        if not isinstance(e, dict):
            continue
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        parts.append(f"{loc}: {e.get('msg', 'invalid')}" if loc else str(e.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    async def on_mercurios(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, MercuriosError)
        if not isinstance(exc, UserError):
            log.error("internal error", extra={"code": exc.code, "detail": str(exc)})
        status = status_for(exc)
        denials = getattr(request.app.state, "denials", None)
        if denials is not None and should_audit(status, exc, request):
            await run_in_threadpool(denials.record, request, exc, status)
        return error_response(exc)

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        status, code = _validation_code(errors)
        message = "the request body is not valid JSON" if code == "malformed_json" else _describe(errors)
        details = [
            {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type")}
            for e in errors
            if isinstance(e, dict)
        ]
        return JSONResponse(error_body(code, message, details=details), status_code=status)

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, f"http_{exc.status_code}")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal", "Something went wrong on our side."), status_code=500)

    app.add_exception_handler(MercuriosError, on_mercurios)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
