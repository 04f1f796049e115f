"""Audit records of refused requests: 401 (no or a bad credential), 403 (a role, an origin, the
platform admin token) and 404 of an authenticated caller asking for an id it may not see (another
tenant's conversation looks exactly like no conversation, to the caller — not to the audit log).

A record names the caller by what is public about it — `key:<prefix>` or `widget:<user>` once the
credential was verified, else only the kind of credential sent — and never holds a token, a key's
secret or a header's value. A denial of a verified credential is filed under its tenant (its
admins see it in `/v1/audit`); one with no tenant under "-", for the operator.

Each client address gets at most `per_minute` records a minute in this process, so a flood of bad
guesses cannot fill the database; the excess is counted in the log line that says so.
"""

from __future__ import annotations

import logging
import threading
import time

from starlette.requests import Request

from assistant.runtime.persistence.audit_log import AuditLog
from guardrails.errors import MercuriosError
from guardrails.text import printable

log = logging.getLogger("mercurios.api")
NO_TENANT = "-"


def should_audit(status: int, exc: MercuriosError, request: Request) -> bool:
    if status in (401, 403):
        return True
    # a semantic lookup (an unknown metric or dimension) is a question's error, not a denied id
    return (
        status == 404
        and "tenant_id" in request.scope.get("state", {})
        and not exc.code.startswith("unknown_")
    )


def _credential_kind(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not scheme:
        return "none"
    if scheme.lower() != "bearer":
        return "other"
    token = token.strip()
    return "widget_token" if token.startswith("mw_") else "api_key" if token.startswith("mk_") else "other"


class DenialAudit:
    def __init__(self, audit: AuditLog, *, per_minute: int = 120) -> None:
        self.audit = audit
        self.per_minute = per_minute
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def _allowed(self, client: str) -> bool:
        window = int(time.time() // 60)
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            w, n = self._counts.get(client, (window, 0))
            n = n + 1 if w == window else 1
            self._counts[client] = (window, n)
        if n == self.per_minute + 1:
            log.warning(
                "denials from %s exceed %d a minute: not audited until the next minute", client, n - 1
            )
        return n <= self.per_minute

    def record(self, request: Request, exc: MercuriosError, status: int) -> None:
        """Writes the record; a failure to write is logged, never turned into another error."""
        client = request.client.host if request.client else "unknown"
        if not self._allowed(client):
            return
        state = request.scope.get("state", {})
        detail = {
            "status": status,
            "code": exc.code,
            "method": request.method,
            "path": printable(request.url.path)[:300],
            "client": client,
            "credential": _credential_kind(request),
        }
        origin = request.headers.get("origin")
        if origin:
            detail["origin"] = printable(origin)[:255]
        try:
            self.audit.record(
                state.get("tenant_id", NO_TENANT), state.get("credential", "anonymous"), "denied", detail
            )
        except Exception:
            log.exception("could not audit a denied request (%s %s)", status, exc.code)
