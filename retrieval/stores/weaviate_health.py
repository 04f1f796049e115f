"""Weaviate's readiness, asked the way the client's `is_ready()` asks it, without a connection.

weaviate-client's `client.is_ready()` sends `GET /v1/.well-known/ready` and reads 200 as ready. It
needs a connected client, though, and connecting (`connect_to_custom`) first pings gRPC and reads
`/v1/meta` under the init timeout — the very things a readiness probe should report rather than
wait on — and a failed `is_ready()` prints the exception to stdout. So the probe sends that one
request itself, with httpx and a short timeout. It imports nothing from the optional weaviate SDK,
so `/readyz` works on an install without it (and says what is wrong).

The request is built by a pure function (`ready_request`) so its URL and headers are tested without
a server; `probe_ready` does the I/O and never raises.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx

from guardrails.errors import ConfigError
from retrieval.protocols import StoreHealth

READY_PATH = "/v1/.well-known/ready"
READY_TIMEOUT_S = 1.0  # a readiness probe runs every few seconds: a dead host must not hold it

_client: httpx.Client | None = None
_client_lock = threading.Lock()


class _QuietProbes(logging.Filter):
    """httpx logs every request at INFO; a probe every few seconds is not news (`/readyz` logs its
    own request line). Other requests through httpx are logged as before."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(READY_PATH in str(a) for a in args)


def _http() -> httpx.Client:
    """One client for every probe: building one (its TLS context) costs more than the request,
    and the kept-alive connection makes a probe of a healthy Weaviate ~1 ms instead of ~25."""
    global _client
    with _client_lock:
        if _client is None:
            logging.getLogger("httpx").addFilter(_QuietProbes())
            _client = httpx.Client(follow_redirects=False)
        return _client


@dataclass(frozen=True)
class ReadyRequest:
    url: str
    headers: dict[str, str] = field(repr=False)  # may carry the API key


def ready_request(base_url: str, api_key: str | None = None) -> ReadyRequest:
    """`GET <scheme>://<host>:<port>/v1/.well-known/ready`, host and port read as the store's
    `connect` reads them (no port: 80 for http, 443 for https; a path in the URL is ignored there
    too). Weaviate serves the endpoint without authentication, but a gateway in front of it may
    not, so the API key goes along as a bearer token, as the client sends it."""
    parsed = urlparse(base_url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"MERCURIOS_WEAVIATE_URL must look like http://host:8080, got {base_url!r}")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError as exc:  # a port out of range or not a number
        raise ConfigError(f"MERCURIOS_WEAVIATE_URL has an invalid port: {base_url!r}") from exc
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return ReadyRequest(f"{parsed.scheme}://{host}:{port}{READY_PATH}", headers)


def probe_ready(
    base_url: str, *, api_key: str | None = None, timeout_s: float = READY_TIMEOUT_S
) -> StoreHealth:
    """Ready on HTTP 200; anything else, a refused connection or no answer in `timeout_s` is
    reported in one line naming the URL (never the key)."""
    try:
        request = ready_request(base_url, api_key)
    except ConfigError as exc:
        return StoreHealth(False, exc.message)
    try:
        response = _http().get(request.url, headers=request.headers, timeout=timeout_s)
    except httpx.TimeoutException:
        return StoreHealth(False, f"Weaviate at {request.url} did not answer within {timeout_s:g} s")
    except httpx.HTTPError as exc:
        reason = type(exc).__name__
        if str(exc).strip():
            reason += ": " + str(exc).strip().splitlines()[0]
        return StoreHealth(False, f"Weaviate at {request.url} is unreachable ({reason})")
    if response.status_code == 200:
        return StoreHealth(True, f"Weaviate at {request.url} is ready")
    return StoreHealth(False, f"Weaviate at {request.url} is not ready (HTTP {response.status_code})")
