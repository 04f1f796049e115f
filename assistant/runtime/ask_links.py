"""Where a digest's "Ask about this" goes: the assistant, opened with that question for that tenant.

The assistant lives in the widget, and the widget lives on the retailer's own back office, where
the user is signed in and the retailer's backend mints the widget's token — a link from an email
cannot sign anyone in to it. So a link goes to, in this order:

1. the tenant's **ask URL**, when one is configured (`mercurios tenants ask-url`): the retailer's
   page that embeds the widget, with `{q}` replaced by the question (the snippet's
   `data-ask-param` makes the widget ask it once the page loads);
2. otherwise `GET /ask` on this service, a signed link (so nobody can make our domain show text of
   their choosing) that, when clicked, sends the user on to the tenant's ask URL if one has been
   configured since the email went out, to the demo page when that is enabled, and else shows the
   question with how to ask it in the back office.

`AskLink` is the one seam renderers see — `(tenant_id, question) -> URL` — so other destinations
(a Slack thread for Slack digests) slot in without touching the templates. It sits below the
channels because the email and Slack digests make these links and the HTTP service answers them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.runtime.secret_compare import same_secret
from guardrails.errors import UserError

AskLink = Callable[[str, str], str]  # (tenant_id, question) -> URL

PLACEHOLDER = "{q}"
MAX_QUESTION_CHARS = 500
MAX_ASK_URL_CHARS = 2000


class InvalidAskUrl(UserError):
    code = "invalid_ask_url"


def ask_token(secret: bytes, tenant_id: str, question: str) -> str:
    message = f"ask:{tenant_id}:{question}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def verify_ask(secret: bytes, tenant_id: str, question: str, token: str) -> bool:
    return same_secret(token, ask_token(secret, tenant_id, question))


def clip(question: str) -> str:
    return " ".join(question.split())[:MAX_QUESTION_CHARS]


def fill(template: str, question: str) -> str:
    """The tenant's ask URL with the question in place of `{q}` (percent-encoded, every character)."""
    return template.replace(PLACEHOLDER, urllib.parse.quote(clip(question), safe=""))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_ask_url(url: str) -> str:
    """A tenant's ask URL: absolute https (http only on this machine, for trying it out), with
    `{q}` where the question goes, and nothing a mail client or a browser would read otherwise."""
    url = url.strip()
    if len(url) > MAX_ASK_URL_CHARS:
        raise InvalidAskUrl(f"the ask URL is longer than {MAX_ASK_URL_CHARS} characters")
    if any(c.isspace() or ord(c) < 32 or c in "<>\"'\\|" for c in url):
        raise InvalidAskUrl("the ask URL contains spaces, quotes or control characters")
    if PLACEHOLDER not in url:
        raise InvalidAskUrl(f"the ask URL needs {PLACEHOLDER} where the question goes, e.g. ?q={PLACEHOLDER}")
    parts = urllib.parse.urlsplit(url.replace(PLACEHOLDER, "q"))
    if not parts.hostname or parts.username or parts.password:
        raise InvalidAskUrl("the ask URL must be absolute (https://host/…) without credentials")
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname)):
        raise InvalidAskUrl("the ask URL must use https (http only for localhost)")
    return url


def _no_tenant_url(_: str) -> str | None:
    return None


@dataclass(frozen=True)
class AskLinks:
    """The `AskLink` of a deployment: the tenant's ask URL, else this service's signed `/ask`."""

    base_url: str
    secret: bytes
    tenant_url: Callable[[str], str | None] = field(default=_no_tenant_url)

    def __call__(self, tenant_id: str, question: str) -> str:
        template = self.tenant_url(tenant_id)
        if template:
            return fill(template, question)
        return self.service_link(tenant_id, question)

    def service_link(self, tenant_id: str, question: str) -> str:
        q = clip(question)
        token = ask_token(self.secret, tenant_id, q)
        query = urllib.parse.urlencode({"tenant": tenant_id, "q": q, "t": token})
        return f"{self.base_url.rstrip('/')}/ask?{query}"
