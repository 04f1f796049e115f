"""`run_due`: every due digest, claimed → built → rendered → sent → recorded, exactly once.

One pass over the active subscriptions. For each firing of a subscription's cron since it was
created (the last few only, so a scheduler down for a month does not flood inboxes), the claim in
the app database decides who sends; the holder builds that tenant's report (through the tenant
guard), narrows it to the subscription's own focus, renders it and sends it to the subscription's
own recipients, then records the outcome on the claim:

- `sent`      delivered (detail: attempts, and any recipient refused while others accepted);
- `no_data`   the tenant had no sales in the period, or nothing on the focus: no email;
- `bounced`   every recipient refused permanently (5xx), or Slack refused the channel
              (`channel_not_found`, `not_in_channel`, …): not retried, it would fail again;
- `refused`   a Slack channel that is not the tenant's (its workspace is linked to another tenant,
              or the bot token is another workspace's): nothing posted, the reason recorded;
- `invalid`   the stored row cannot be delivered as it stands (no valid recipient, bad schedule);
- `failed`    a temporary failure (SMTP or Slack unreachable after its retries, Slack rate limits
              or a revoked bot token, warehouse down): the claim's lease becomes the retry time
              (never before Slack's Retry-After), so a later run takes it over — after
              `max_attempts` it becomes `gave_up`, still on record.

A crash between claim and send leaves `claimed` with a lease; the next run after the lease takes
it over. Both the scheduler inside `mercurios serve` and `mercurios digest run-due` call this.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from assistant.channels.digests.claims import Claim, FinalStatus, SqlClaimStore
from assistant.channels.digests.focus import Focus, apply_focus, effective_focus
from assistant.channels.digests.narrative import DigestSummaries, Summary
from assistant.channels.digests.protocols import MailTransport, ReportSource, SlackTransport
from assistant.channels.digests.render import build_message, render_digest
from assistant.channels.digests.smtp_delivery import SmtpConfig, send_message
from assistant.core.insights.errors import NoDataForPeriodError
from assistant.core.insights.model import InsightReport
from assistant.runtime.ask_links import AskLink
from assistant.runtime.digests.errors import (
    DeliveryError,
    DestinationRefusedError,
    InvalidRecipientError,
    InvalidScheduleError,
    RecipientRejectedError,
)
from assistant.runtime.digests.schedule import DueRun, due_runs
from assistant.runtime.digests.subscriptions import Subscription, SubscriptionStore, clean_recipients

log = logging.getLogger(__name__)
CADENCE_WORDS = {"day": "daily", "week": "weekly", "month": "monthly"}


@dataclass(frozen=True)
class Outcome:
    subscription_id: str
    tenant_id: str
    period_key: str
    status: str
    detail: str = ""


@dataclass(frozen=True)
class RunSummary:
    outcomes: tuple[Outcome, ...]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


class SmtpTransport:
    """`MailTransport` over SMTP with the configured retries and backoff."""

    def __init__(self, cfg: SmtpConfig, *, sleep: Callable[[float], None] | None = None) -> None:
        self.cfg = cfg
        self.sleep = sleep

    def send(self, msg: EmailMessage, recipients: tuple[str, ...]) -> tuple[str, ...]:
        if self.sleep is None:
            return send_message(msg, recipients, self.cfg).accepted
        return send_message(msg, recipients, self.cfg, sleep=self.sleep).accepted


@dataclass
class DigestRunner:
    subscriptions: SubscriptionStore
    claims: SqlClaimStore
    source: ReportSource
    transport: MailTransport
    sender: str
    ask_link: AskLink
    unsubscribe_link: Callable[[Subscription], str]
    lease_s: int = 600
    catchup_runs: int = 3
    retry_backoff_s: float = 300.0
    max_attempts: int = 8
    slack: SlackTransport | None = None
    summaries: DigestSummaries = field(default_factory=DigestSummaries)
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}")

    def run_due(self, now: dt.datetime | None = None) -> RunSummary:
        moment = now or dt.datetime.now(dt.UTC)
        outcomes: list[Outcome] = []
        for sub in self.subscriptions.all_active():
            for run in self._due(sub, moment, outcomes):
                claim = self.claims.claim(
                    sub.subscription_id,
                    run.period_key,
                    sub.tenant_id,
                    self.holder,
                    lease_s=self.lease_s,
                    now=moment,
                )
                if claim is not None:
                    outcomes.append(self._deliver(sub, run, claim, moment))
        return RunSummary(tuple(outcomes))

    def _due(self, sub: Subscription, now: dt.datetime, outcomes: list[Outcome]) -> tuple[DueRun, ...]:
        try:
            return due_runs(sub.schedule, sub.created_at, now, cap=self.catchup_runs)
        except InvalidScheduleError as exc:  # a row edited behind our back: say so, send nothing
            log.warning("digest subscription %s has an invalid schedule: %s", sub.subscription_id, exc)
            outcomes.append(Outcome(sub.subscription_id, sub.tenant_id, "", "invalid", str(exc)))
            return ()

    def _finish(
        self,
        sub: Subscription,
        claim: Claim,
        status: FinalStatus | str,
        detail: str,
        now: dt.datetime,
        *,
        retry_after_s: float | None = None,
    ) -> Outcome:
        retry_at = None
        final: FinalStatus
        if status == "failed" and claim.attempt < self.max_attempts:
            wait = max(self.retry_backoff_s * 2 ** (claim.attempt - 1), retry_after_s or 0.0)
            retry_at = now + dt.timedelta(seconds=wait)
            detail = f"{detail} (attempt {claim.attempt}; retry after {retry_at.isoformat()})"
        elif status == "failed":
            detail = f"{detail} (attempt {claim.attempt}; giving up)"
            status = "gave_up"
        final = status  # type: ignore[assignment]
        if not self.claims.finish(claim, status=final, detail=detail, now=now, retry_at=retry_at):
            log.warning(
                "digest %s/%s: lease lost before recording %s",
                claim.subscription_id,
                claim.period_key,
                status,
            )
        log.info("digest %s %s for %s: %s", claim.subscription_id, claim.period_key, sub.tenant_id, status)
        return Outcome(sub.subscription_id, sub.tenant_id, claim.period_key, status, detail)

    def _deliver(self, sub: Subscription, run: DueRun, claim: Claim, now: dt.datetime) -> Outcome:
        notes: list[str] = []
        try:
            values = self.source.values(sub.tenant_id)
            focus, ignored = effective_focus(Focus(sub.metrics, sub.stores, sub.categories), values)
            if ignored:
                notes.append("ignored focus values not in this tenant's catalog: " + ", ".join(ignored[:10]))
            report = apply_focus(self.source.report(sub.tenant_id, run.as_of, sub.cadence), focus, values)
        except NoDataForPeriodError as exc:
            return self._finish(sub, claim, "no_data", exc.message, now)
        except Exception as exc:  # the warehouse or semantic layer failed: ours, retry later
            log.exception("digest %s: building the report failed", sub.subscription_id)
            return self._finish(sub, claim, "failed", f"report failed: {exc}", now)
        if report.tenant_id != sub.tenant_id:  # cannot happen; if it ever did, send nothing
            return self._finish(sub, claim, "invalid", "report tenant does not match the subscription", now)
        if not report.insights:
            return self._finish(
                sub, claim, "no_data", "; ".join(["nothing to report on the focus", *notes]), now
            )
        summary = self.summaries.summarise(report)
        if summary.note:
            notes.append(summary.note)
        if sub.channel == "slack":
            return self._deliver_slack(sub, report, summary, claim, now, notes)
        if sub.channel != "email":
            return self._finish(
                sub, claim, "invalid", f"channel {sub.channel!r} delivery is not available", now
            )
        recipients = self._recipients(sub, notes)
        if not recipients:
            return self._finish(sub, claim, "invalid", "; ".join(["no valid recipient", *notes]), now)
        digest = render_digest(
            report,
            ask_link=self.ask_link,
            unsubscribe_url=self.unsubscribe_link(sub),
            cadence_word=CADENCE_WORDS[sub.cadence],
            summary=summary.text,
        )
        msg = build_message(digest, sender=self.sender, recipients=recipients)
        try:
            accepted = self.transport.send(msg, recipients)
        except RecipientRejectedError as exc:
            return self._finish(sub, claim, "bounced", "; ".join([exc.message, *notes]), now)
        except DeliveryError as exc:
            return self._finish(sub, claim, "failed", "; ".join([exc.message, *notes]), now)
        refused = [r for r in recipients if r not in accepted]
        if refused:
            notes.append("refused: " + ", ".join(refused))
        return self._finish(sub, claim, "sent", "; ".join([f"to {len(accepted)} recipient(s)", *notes]), now)

    def _deliver_slack(
        self,
        sub: Subscription,
        report: InsightReport,
        summary: Summary,
        claim: Claim,
        now: dt.datetime,
        notes: list[str],
    ) -> Outcome:
        if self.slack is None:
            return self._finish(
                sub,
                claim,
                "failed",
                "Slack delivery is not configured (MERCURIOS_SLACK_CLIENT_ID/SECRET or _BOT_TOKEN)",
                now,
            )
        try:
            detail = self.slack.deliver(
                sub,
                report,
                ask_link=self.ask_link,
                unsubscribe_url=self.unsubscribe_link(sub),
                cadence_word=CADENCE_WORDS[sub.cadence],
                summary=summary.text,
            )
        except DestinationRefusedError as exc:
            log.warning("digest %s refused: %s", sub.subscription_id, exc.message)
            return self._finish(sub, claim, "refused", "; ".join([exc.message, *notes]), now)
        except RecipientRejectedError as exc:
            return self._finish(sub, claim, "bounced", "; ".join([exc.message, *notes]), now)
        except DeliveryError as exc:
            if exc.code == "chart_render_failed":  # a chart is drawn before anything is posted: escapes
                raise
            return self._finish(
                sub, claim, "failed", "; ".join([exc.message, *notes]), now, retry_after_s=exc.retry_after_s
            )
        return self._finish(sub, claim, "sent", "; ".join([detail, *notes]), now)

    @staticmethod
    def _recipients(sub: Subscription, notes: list[str]) -> tuple[str, ...]:
        """The subscription's own recipients that are still plain addresses; a tampered entry
        (a second address, CR/LF headers) is dropped, never interpreted."""
        kept: list[str] = []
        for raw in sub.recipients:
            try:
                kept.extend(clean_recipients((raw,)))
            except InvalidRecipientError:
                notes.append(f"dropped invalid recipient {raw[:60]!r}")
        return tuple(dict.fromkeys(kept))
