"""One place that wires a `DigestRunner` from `Settings`, for the CLI's `run-due` and the
scheduler inside `mercurios serve` alike (so both send the same digests the same way)."""

from __future__ import annotations

from assistant.channels.digests.claims import SqlClaimStore
from assistant.channels.digests.narrative import DigestSummaries, InsightWriter
from assistant.channels.digests.protocols import SlackTransport
from assistant.channels.digests.report_source import ProfileLookup, SemanticReportSource
from assistant.channels.digests.run_due import DigestRunner, SmtpTransport
from assistant.channels.digests.smtp_delivery import SmtpConfig
from assistant.channels.digests.unsubscribe import unsubscribe_url
from assistant.core.tenants import UnknownTenantError
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.digests.subscriptions import SubscriptionStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer


def build_insight_writer(settings: Settings) -> InsightWriter | None:
    """The LLM summary writer when a model is configured with narratives on (as for chat answers)."""
    if not settings.llm.model or not settings.llm.narratives:
        return None
    from assistant.core.llm.narrator import InsightNarrator
    from assistant.runtime.services import build_llm_client

    return InsightNarrator(build_llm_client(settings))


def ask_links(settings: Settings, tenants: TenantRepository, secret: bytes) -> AskLinks:
    """Digest links open the tenant's ask URL when it has one, else this service's `/ask`."""

    def tenant_url(tenant_id: str) -> str | None:
        try:
            return tenants.get(tenant_id).ask_url
        except UnknownTenantError:  # a tenant only the warehouse knows (a preview): our page
            return None

    return AskLinks(settings.public_base_url, secret, tenant_url)


def build_runner(
    settings: Settings,
    db: Database,
    layer: SemanticLayer,
    tenants: ProfileLookup,
    secret: bytes,
    *,
    slack: SlackTransport | None = None,
) -> DigestRunner:
    """`slack`: the Slack channel's sender when the Slack app is set up (the composition roots pass
    `channels.slack.digest_delivery.slack_digest_sender`); this channel does not import Slack."""
    base = settings.public_base_url
    return DigestRunner(
        subscriptions=SubscriptionStore(db),
        claims=SqlClaimStore(db.engine),
        source=SemanticReportSource(layer, tenants),
        transport=SmtpTransport(SmtpConfig.from_settings(settings)),
        sender=settings.digest.sender,
        ask_link=ask_links(settings, TenantRepository(db), secret),
        unsubscribe_link=lambda s: unsubscribe_url(base, secret, s.tenant_id, s.subscription_id),
        lease_s=settings.digest.lease_s,
        slack=slack,
        summaries=DigestSummaries(build_insight_writer(settings)),
    )
