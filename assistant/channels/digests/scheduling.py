"""Starts the digest scheduler in the API process when `Settings.digest_scheduler` is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.runtime.app_services import ApiServices, widget_secret

if TYPE_CHECKING:
    from assistant.channels.digests.protocols import SlackTransport
    from assistant.channels.digests.scheduler import DigestScheduler


def start_digest_scheduler(
    services: ApiServices, *, slack: SlackTransport | None = None
) -> DigestScheduler | None:
    settings = services.settings
    if not settings.digest.scheduler:
        return None
    # the runner, insights (numpy) and rendering load only in a process that schedules digests
    from assistant.channels.digests.scheduler import DigestScheduler
    from assistant.channels.digests.service import build_runner
    from assistant.runtime.persistence.tenant_store import SqlTenantDirectory

    runner = build_runner(
        settings,
        services.db,
        services.engine.sl,
        SqlTenantDirectory(services.tenants),
        widget_secret(settings),
        slack=slack,
    )
    return DigestScheduler(runner, interval_s=settings.digest.scheduler_interval_s).start()
