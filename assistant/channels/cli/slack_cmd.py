"""`mercurios slack link|unlink|links|manifest`: which tenant each Slack workspace (or channel) sees.

Links are written straight to the app database, like `mercurios tenants`; the service reads them
on every Slack request, so a change takes effect at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.channels.slack.links import WorkspaceLinks
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository, seed_single_tenant
from assistant.runtime.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Slack workspaces → tenants.")

MANIFEST = Path(__file__).resolve().parents[1] / "slack" / "manifest.yaml"


def _links() -> WorkspaceLinks:
    settings = get_settings()
    db = Database(settings.resolved_database_url)
    db.migrate()
    seed_single_tenant(TenantRepository(db), settings)
    return WorkspaceLinks(db, TenantRepository(db))


@app.command("link")
def link(
    team: Annotated[str, typer.Option("--team", help="Slack team (workspace) id, e.g. T0123ABCD.")],
    tenant: TenantOpt = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="Only this channel (wins over the workspace link).")
    ] = None,
) -> None:
    """Map a workspace (or one of its channels) to a tenant; replaces an existing mapping."""
    made = _links().link(team, resolve_tenant(tenant, get_settings()), channel)
    where = f"{made.team_id}/{made.channel_id}" if made.channel_id else made.team_id
    typer.echo(f"linked Slack {where} -> tenant {made.tenant_id}")


@app.command("unlink")
def unlink(
    team: Annotated[str, typer.Option("--team")],
    channel: Annotated[str | None, typer.Option("--channel")] = None,
) -> None:
    """Remove a mapping: that workspace (or channel) then gets "not connected"."""
    removed = _links().unlink(team, channel)
    typer.echo("unlinked" if removed else "no such link")


@app.command("links")
def list_links() -> None:
    """List the mappings (team, channel or *, tenant)."""
    for item in _links().all():
        typer.echo(f"{item.team_id}\t{item.channel_id or '*'}\t{item.tenant_id}")


@app.command("manifest")
def manifest() -> None:
    """Print the Slack app manifest (paste it at api.slack.com/apps → Create app → From a manifest)."""
    typer.echo(MANIFEST.read_text(), nl=False)
