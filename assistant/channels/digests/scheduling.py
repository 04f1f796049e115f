"""Starts the digest scheduler in the API process when `Settings.digest_scheduler` is on."""

from __future__ import annotations

from assistant.channels.digests.protocols import SlackTransport
from assistant.channels.digests.scheduler import DigestScheduler
from assistant.channels.digests.service import build_runner
from assistant.runtime.app_services import ApiServices, widget_secret
from assistant.runtime.persistence.tenant_store import SqlTenantDirectory


def start_digest_scheduler(
    services: ApiServices, *, slack: SlackTransport | None = None
) -> DigestScheduler | None:
    settings = services.settings
    if not settings.digest_scheduler:
        return None
    runner = build_runner(
        settings,
        services.db,
        services.engine.sl,
        SqlTenantDirectory(services.tenants),
        widget_secret(settings),
        slack=slack,
    )
    return DigestScheduler(runner, interval_s=settings.digest_scheduler_interval_s).start()
