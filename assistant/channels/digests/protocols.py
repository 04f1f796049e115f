"""The seams of digest delivery: where a tenant's report comes from, who carries the email, and
who posts to Slack.

`run_due` depends only on these, so the scheduler inside `mercurios serve` and the one-shot CLI
run the same code over the same semantic layer, and tests can count what was sent at a real SMTP
server rather than at a stand-in of our own functions.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Protocol

from assistant.channels.digests.focus import TenantValues
from assistant.core.insights.model import InsightReport
from assistant.core.insights.periods import Cadence
from assistant.runtime.ask_links import AskLink
from assistant.runtime.digests.subscriptions import Subscription


class ReportSource(Protocol):
    def report(self, tenant_id: str, as_of: dt.date, cadence: Cadence) -> InsightReport: ...

    def values(self, tenant_id: str) -> TenantValues: ...


class MailTransport(Protocol):
    def send(self, msg: EmailMessage, recipients: tuple[str, ...]) -> tuple[str, ...]:
        """Delivers to `recipients` only; returns those accepted. Raises our delivery errors."""
        ...


class SlackTransport(Protocol):
    def deliver(
        self,
        sub: Subscription,
        report: InsightReport,
        *,
        ask_link: AskLink,
        unsubscribe_url: str,
        cadence_word: str,
        summary: str,
    ) -> str:
        """Writes the report as a Slack message and posts it to the subscription's own Slack channel
        after checking it is the tenant's; returns what was done. Raises `DestinationRefusedError`,
        `RecipientRejectedError`, `DeliveryError` (code `chart_render_failed`: a chart could not be
        drawn, before anything was posted). The Slack channel implements it
        (`channels/slack/digest_delivery.py`); the composition roots hand it to the runner."""
        ...
