"""Short-lived signed tokens for browser widgets: `mw_<payload>.<signature>`.

A retailer's backend (holding an API key) mints one per end user and page origin; the browser
sends it with every request. The HMAC binds tenant, user, origin and expiry together, so a token
cannot be edited, outlives its expiry by nothing, and is refused from any other origin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from assistant.runtime.secret_compare import same_secret
from assistant.runtime.web.errors import Unauthorized

PREFIX = "mw_"


@dataclass(frozen=True)
class WidgetClaims:
    tenant_id: str
    user_id: str
    origin: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class WidgetTokenSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the widget token secret must be at least 32 bytes")
        self._secret = secret

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def mint(self, tenant_id: str, user_id: str, origin: str, ttl_s: int, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {"t": tenant_id, "u": user_id, "o": origin, "exp": issued + ttl_s, "iat": issued}
        payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
        return f"{PREFIX}{payload}.{self._sign(payload)}"

    def verify(self, token: str, *, now: float | None = None) -> WidgetClaims:
        if not token.startswith(PREFIX) or token.count(".") != 1:
            raise Unauthorized("malformed widget token", code="invalid_token")
        payload, signature = token[len(PREFIX) :].split(".")
        if not same_secret(signature, self._sign(payload)):
            raise Unauthorized("the widget token's signature is not valid", code="invalid_token")
        try:
            claims = json.loads(_unb64(payload))
            parsed = WidgetClaims(str(claims["t"]), str(claims["u"]), str(claims["o"]), int(claims["exp"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise Unauthorized("malformed widget token", code="invalid_token") from exc
        if parsed.expires_at <= int(now if now is not None else time.time()):
            raise Unauthorized("the widget token has expired; mint a new one", code="token_expired")
        return parsed
