"""Sending a digest over SMTP (plain, STARTTLS or SSL; optional auth) with retries and backoff.

Temporary failures (connection refused, timeouts, 4xx) are retried with exponential backoff
(tenacity); a
permanent refusal of a recipient (5xx) is not — it would bounce again — and is reported per
recipient so the caller can record it. Nothing here decides who receives what: the caller passes
recipients that belong to the digest's tenant.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from assistant.runtime.digests.errors import DeliveryError, RecipientRejectedError
from assistant.runtime.settings import Settings


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "none"  # none | starttls | ssl
    username: str | None = None
    password: str | None = None
    timeout_s: float = 10.0
    retries: int = 3
    backoff_s: float = 1.0
    ssl_context: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpConfig:
        smtp = s.smtp  # the same fields, the password unsealed
        password = smtp.password.get_secret_value() if smtp.password else None
        return cls(**smtp.model_dump(exclude={"password"}), password=password)


@dataclass(frozen=True)
class SendResult:
    attempts: int
    accepted: tuple[str, ...]


def _connect(cfg: SmtpConfig) -> smtplib.SMTP:
    context = cfg.ssl_context or ssl.create_default_context()
    client: smtplib.SMTP
    if cfg.security == "ssl":
        client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=context)
    else:
        client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        if cfg.security == "starttls":
            client.starttls(context=context)
    if cfg.username:
        client.login(cfg.username, cfg.password or "")
    return client


class _Temporary(Exception):
    """A failure worth another attempt (connection, timeout, 4xx, a recipient refused for now)."""


def _send_once(msg: EmailMessage, recipients: tuple[str, ...], cfg: SmtpConfig) -> tuple[str, ...]:
    """One attempt: the accepted recipients; permanent refusals raise our errors, the rest `_Temporary`."""
    try:
        with _connect(cfg) as client:
            refused = client.send_message(msg, to_addrs=list(recipients))
        return tuple(r for r in recipients if r not in refused)
    except smtplib.SMTPRecipientsRefused as exc:
        permanent = {r: c for r, (c, _m) in exc.recipients.items() if c >= 500}
        if len(permanent) == len(exc.recipients):
            raise RecipientRejectedError(
                "recipient refused: " + ", ".join(f"{r} ({c})" for r, c in permanent.items())
            ) from exc
        raise _Temporary(exc) from exc
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500 and exc.smtp_code not in (521, 554):
            raise DeliveryError(
                f"SMTP server refused the digest: {exc.smtp_code} {exc.smtp_error!r}"
            ) from exc
        raise _Temporary(exc) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _Temporary(exc) from exc


def send_message(
    msg: EmailMessage,
    recipients: tuple[str, ...],
    cfg: SmtpConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """Sends with `cfg.retries` more attempts after the first, waiting backoff_s, 2×, 4× … between."""
    retrying = Retrying(
        stop=stop_after_attempt(cfg.retries + 1),
        wait=wait_exponential(multiplier=cfg.backoff_s, exp_base=2, min=0, max=float("inf")),
        retry=retry_if_exception_type(_Temporary),
        sleep=sleep,
    )
    try:
        accepted = retrying(_send_once, msg, recipients, cfg)
    except RetryError as exc:
        failure = exc.last_attempt.exception()
        cause = failure.__cause__ if failure is not None else None
        raise DeliveryError(
            f"could not deliver via {cfg.host}:{cfg.port} after {cfg.retries + 1} attempts: {cause}"
        ) from cause
    return SendResult(attempts=int(retrying.statistics["attempt_number"]), accepted=accepted)
