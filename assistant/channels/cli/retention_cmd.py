"""`mercurios retention apply`: deletes conversations, turns and feedback past each tenant's
`retention_days` (the audit log is kept). Meant for a daily cron or scheduler job."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="Per-tenant data retention (app database).")


@app.callback()
def _retention() -> None:
    """Per-tenant data retention (app database)."""


@app.command("apply")
def apply(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant. Default: all.")] = None,
) -> None:
    """Delete what is older than each tenant's retention_days; print what went, per tenant."""
    from assistant.runtime.persistence.database import Database
    from assistant.runtime.persistence.retention import apply_retention
    from assistant.runtime.settings import get_settings

    db = Database(get_settings().resolved_database_url)
    try:
        db.migrate()
        for r in apply_retention(db, tenant_id=tenant):
            typer.echo(
                f"{r.tenant_id}: retention {r.retention_days} days (before {r.cutoff:%Y-%m-%d %H:%M} UTC): "
                f"deleted {r.turns} turns, {r.conversations} conversations, {r.feedback} feedback"
            )
    finally:
        db.dispose()
