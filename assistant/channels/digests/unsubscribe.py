"""Unsubscribe links: an HMAC over (tenant, subscription) so a click needs no login and a guessed
or edited link cannot stop someone else's digest."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

from assistant.runtime.secret_compare import same_secret

# A previewed digest has no subscription: its unsubscribe link opens a page saying so.
PREVIEW_UNSUBSCRIBE_PATH = "/v1/digests/unsubscribe/preview"


def unsubscribe_token(secret: bytes, tenant_id: str, subscription_id: str) -> str:
    return hmac.new(
        secret, f"unsubscribe:{tenant_id}:{subscription_id}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def unsubscribe_url(base_url: str, secret: bytes, tenant_id: str, subscription_id: str) -> str:
    query = urllib.parse.urlencode(
        {
            "tenant": tenant_id,
            "s": subscription_id,
            "t": unsubscribe_token(secret, tenant_id, subscription_id),
        }
    )
    return f"{base_url.rstrip('/')}/v1/digests/unsubscribe?{query}"


def verify_unsubscribe(secret: bytes, tenant_id: str, subscription_id: str, token: str) -> bool:
    return same_secret(token, unsubscribe_token(secret, tenant_id, subscription_id))
