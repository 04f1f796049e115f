"""Short-lived signed tokens for browser widgets: `mw_<JWT>` (HS256, PyJWT).

A retailer's backend (holding an API key) mints one per end user and page origin; the browser
sends it with every request. The signature binds tenant (`tid`), user (`sub`), origin (`aud`) and
expiry (`exp`) together, so a token cannot be edited, outlives its expiry by nothing, and is
refused from any other origin. The `mw_` prefix tells a widget token from an API key (`mk_`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from jwt.types import Options

from assistant.runtime.web.errors import Forbidden, Unauthorized

PREFIX = "mw_"
_ALGORITHM = "HS256"
_REQUIRED = ["exp", "iat", "aud", "sub", "tid"]


@dataclass(frozen=True)
class WidgetClaims:
    tenant_id: str
    user_id: str
    origin: str
    expires_at: int


class OriginMismatch(Forbidden):
    """A genuine, unexpired token sent from an origin it was not minted for. Carries the token's
    claims: the denial is audited under the token's tenant and user."""

    def __init__(self, claims: WidgetClaims) -> None:
        super().__init__("this widget token was issued for another origin", code="origin_mismatch")
        self.claims = claims


def _claims(payload: dict[str, object]) -> WidgetClaims:
    return WidgetClaims(
        str(payload["tid"]), str(payload["sub"]), str(payload["aud"]), int(str(payload["exp"]))
    )


class WidgetTokenSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the widget token secret must be at least 32 bytes")
        self._secret = secret

    def mint(self, tenant_id: str, user_id: str, origin: str, ttl_s: int, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {"tid": tenant_id, "sub": user_id, "aud": origin, "exp": issued + ttl_s, "iat": issued}
        return PREFIX + jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str, origin: str | None) -> WidgetClaims:
        """The claims of a genuine, unexpired token sent from the origin it was minted for (`aud`).

        Raises `Unauthorized` (`invalid_token`, `token_expired`) or `OriginMismatch` — a missing
        `Origin` header matches no token."""
        if not token.startswith(PREFIX):
            raise Unauthorized("malformed widget token", code="invalid_token")
        body = token[len(PREFIX) :]
        options: Options = {"require": _REQUIRED, "verify_iat": False}
        try:
            return _claims(
                jwt.decode(body, self._secret, algorithms=[_ALGORITHM], audience=origin, options=options)
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the widget token has expired; mint a new one", code="token_expired") from exc
        except jwt.InvalidAudienceError as exc:
            # signature and expiry held (PyJWT checks the audience last): name the token's caller
            payload = jwt.decode(
                body,
                self._secret,
                algorithms=[_ALGORITHM],
                options={"require": _REQUIRED, "verify_iat": False, "verify_aud": False},
            )
            raise OriginMismatch(_claims(payload)) from exc
        except (jwt.InvalidTokenError, ValueError, TypeError, KeyError) as exc:
            raise Unauthorized("malformed widget token", code="invalid_token") from exc
