"""The ProHandel API v2 client: token authentication, paging, retries and token refresh.

Authentication is two-step, as ProHandel's clients use it: the API key and secret are exchanged
at the auth service for a short-lived access token, a refresh token, and the URL of the tenant's
own API server (each customer runs on its own instance). Requests carry the access token; a 401
means it expired or was revoked, so the client refreshes once (falling back to the key and
secret) and repeats the request. 429/5xx/timeouts are retried with backoff and jitter, honouring
Retry-After.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from ingestion.prohandel.errors import ProHandelAuthError, ProHandelProtocolError, ProHandelUnavailableError
from ingestion.prohandel.retry_policy import RETRYABLE_STATUS, RetryPolicy, parse_retry_after

REFRESH_MARGIN_S = 30.0  # refresh this long before expiry rather than fail a request on it


@dataclass(frozen=True)
class Credentials:
    """One tenant's ProHandel API access. `tenant_id` is ours: every row fetched lands under it."""

    tenant_id: str
    api_key: str
    api_secret: str
    auth_url: str  # the auth service, e.g. https://auth.prohandel.example/api/v1

    def __repr__(self) -> str:  # never print the secret
        return (
            f"Credentials(tenant_id={self.tenant_id!r}, api_key={self.api_key!r}, auth_url={self.auth_url!r})"
        )


@dataclass
class _Token:
    access_token: str
    refresh_token: str
    server_url: str
    expires_at: float  # time.monotonic()


@dataclass(frozen=True)
class ApiPage:
    resource: str
    number: int
    items: list[Any]
    has_more: bool


@dataclass
class ClientStats:
    """What the client survived, for the load summary and the fault tests."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    server_errors: int = 0
    timeouts: int = 0
    token_refreshes: int = 0
    slept_s: float = 0.0
    retry_after_waits: list[float] = field(default_factory=list)


class ProHandelClient:
    def __init__(
        self,
        credentials: Credentials,
        *,
        policy: RetryPolicy | None = None,
        timeout_s: float = 30.0,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http: httpx.Client | None = None,
    ) -> None:
        self.credentials = credentials
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._http = http or httpx.Client(timeout=timeout_s)
        self._owns_http = http is None
        self._token: _Token | None = None
        self.stats = ClientStats()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> ProHandelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- authentication -------------------------------------------------------------------

    def _token_from(self, response: httpx.Response) -> _Token:
        try:
            body = response.json()
            return _Token(
                access_token=str(body["accessToken"]),
                refresh_token=str(body["refreshToken"]),
                server_url=str(body["serverUrl"]).rstrip("/"),
                expires_at=time.monotonic() + float(body["expiresIn"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ProHandelProtocolError(f"ProHandel auth answered an unexpected body: {exc}") from exc

    def _auth_request(self, path: str, payload: dict[str, str]) -> httpx.Response:
        url = self.credentials.auth_url.rstrip("/") + path
        return self._send(lambda: self._http.post(url, json=payload), what=f"POST {path}")

    def _authenticate(self) -> _Token:
        response = self._auth_request(
            "/token", {"apiKey": self.credentials.api_key, "secret": self.credentials.api_secret}
        )
        if response.status_code in (400, 401, 403):
            raise ProHandelAuthError(
                f"ProHandel refused the API key for tenant {self.credentials.tenant_id} "
                f"(HTTP {response.status_code}): check its key and secret"
            )
        self._expect_ok(response, "POST /token")
        self._token = self._token_from(response)
        return self._token

    def _refresh(self) -> _Token:
        """Use the refresh token; if it is refused too, start over with the key and secret."""
        self.stats.token_refreshes += 1
        if self._token is not None:
            response = self._auth_request("/token/refresh", {"refreshToken": self._token.refresh_token})
            if response.status_code == 200:
                self._token = self._token_from(response)
                return self._token
        return self._authenticate()

    def _valid_token(self) -> _Token:
        if self._token is None:
            return self._authenticate()
        if self._token.expires_at - time.monotonic() < REFRESH_MARGIN_S:
            return self._refresh()
        return self._token

    @property
    def server_url(self) -> str:
        return self._valid_token().server_url

    # --- requests ---------------------------------------------------------------------------

    def _expect_ok(self, response: httpx.Response, what: str) -> None:
        if response.status_code != 200:
            raise ProHandelProtocolError(f"ProHandel {what} answered HTTP {response.status_code}")

    def _send(self, call: Callable[[], httpx.Response], *, what: str) -> httpx.Response:
        """Run `call`, retrying timeouts, connection errors, 429 and 5xx; other answers are returned."""
        last_problem = ""
        for attempt in range(1, self.policy.max_attempts + 1):
            self.stats.requests += 1
            retry_after: float | None = None
            try:
                response = call()
            except httpx.TimeoutException:
                self.stats.timeouts += 1
                last_problem = "timed out"
            except httpx.TransportError as exc:
                last_problem = f"connection failed ({type(exc).__name__})"
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    return response
                if response.status_code == 429:
                    self.stats.rate_limited += 1
                else:
                    self.stats.server_errors += 1
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                last_problem = f"HTTP {response.status_code}"
            if attempt == self.policy.max_attempts:
                break
            delay = self.policy.delay(attempt, retry_after, self._rng)
            if retry_after is not None:
                self.stats.retry_after_waits.append(delay)
            self.stats.retries += 1
            self.stats.slept_s += delay
            self._sleep(delay)
        raise ProHandelUnavailableError(
            f"ProHandel {what} failed after {self.policy.max_attempts} attempts: {last_problem}"
        )

    def get_json(self, path: str, params: dict[str, str | int]) -> Any:
        """GET `path` on the tenant's API server; refresh the token once on 401."""
        for refreshed in (False, True):
            token = self._valid_token()
            url = f"{token.server_url}/{path.lstrip('/')}"
            headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/json"}

            def fetch(u: str = url, h: dict[str, str] = headers) -> httpx.Response:
                return self._http.get(u, params=params, headers=h)

            response = self._send(fetch, what=f"GET {path}")
            if response.status_code == 401 and not refreshed:
                self._refresh()
                continue
            if response.status_code in (401, 403):
                raise ProHandelAuthError(
                    f"ProHandel refused access to {path} for tenant {self.credentials.tenant_id} "
                    f"(HTTP {response.status_code})"
                )
            self._expect_ok(response, f"GET {path}")
            try:
                return response.json()
            except ValueError as exc:
                raise ProHandelProtocolError(f"ProHandel GET {path} answered invalid JSON") from exc
        raise AssertionError("unreachable")

    def pages(
        self, resource: str, *, changed_since: dt.datetime | None, page_size: int, start_page: int = 1
    ) -> Iterator[ApiPage]:
        """Every page of records changed at or after `changed_since` (all records if None)."""
        number = start_page
        while True:
            params: dict[str, str | int] = {"page": number, "pageSize": page_size}
            if changed_since is not None:
                params["changedSince"] = changed_since.isoformat()
            body = self.get_json(resource, params)
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise ProHandelProtocolError(f"ProHandel GET {resource} page {number}: no 'items' list")
            has_more = bool(body.get("hasMore"))
            yield ApiPage(resource, number, body["items"], has_more)
            if not has_more:
                return
            number += 1
