"""`mercurios tenants create|list|theme|ask-url` and `mercurios keys create|revoke`: the app
database, directly."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assistant.channels.cli.tenant_option import TenantOpt, resolve_tenant
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.key_store import KeyRepository
from assistant.runtime.persistence.tenant_store import TenantRepository, seed_single_tenant
from assistant.runtime.settings import get_settings
from assistant.runtime.theme import Theme, parse_theme

tenants_app = typer.Typer(no_args_is_help=True, help="Tenants of the service (app database).")
keys_app = typer.Typer(no_args_is_help=True, help="Tenant API keys.")


def _db() -> Database:
    settings = get_settings()
    db = Database(settings.resolved_database_url)
    db.migrate()
    seed_single_tenant(TenantRepository(db), settings)
    return db


@tenants_app.command("create")
def create_tenant(
    tenant_id: Annotated[str, typer.Argument(help="e.g. nordwind-fashion")],
    name: Annotated[str, typer.Option(help="Display name.")],
    currency: str = "EUR",
    timezone: str = "Europe/Berlin",
    locale: str = "de-DE",
    origin: Annotated[list[str] | None, typer.Option(help="Allowed browser origin (repeatable).")] = None,
) -> None:
    """Create a tenant."""
    repo = TenantRepository(_db())
    repo.create(
        tenant_id, name, currency=currency, timezone=timezone, locale=locale, cors_origins=tuple(origin or ())
    )
    typer.echo(f"created tenant {tenant_id}")


@tenants_app.command("list")
def list_tenants() -> None:
    """List tenants."""
    for t in TenantRepository(_db()).all().values():
        p = t.profile
        typer.echo(f"{p.tenant_id}\t{p.name}\t{p.currency}\t{p.timezone}\t{','.join(t.cors_origins)}")


@tenants_app.command("theme")
def tenant_theme(
    tenant: TenantOpt = None,
    primary: Annotated[str | None, typer.Option(help="Primary colour, #rrggbb.")] = None,
    accent: Annotated[str | None, typer.Option(help="Accent colour, #rrggbb.")] = None,
    logo: Annotated[
        str | None, typer.Option(help="Logo: an https:// URL or a data:image/...;base64 URL.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="The assistant's name in the widget.")] = None,
    greeting: Annotated[str | None, typer.Option(help="The first message of the widget.")] = None,
    suggestion: Annotated[
        list[str] | None, typer.Option(help="A suggested first question (repeatable, up to 6; replaces all).")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Back to the widget's defaults first.")] = False,
) -> None:
    """Show or change a tenant's white-label widget theme; options left out keep their value.

    Goes through the same validation as `PUT /v1/tenant/theme`, so a bad value changes nothing."""
    tenant = resolve_tenant(tenant, get_settings())
    repo = TenantRepository(_db())
    current = repo.theme(tenant)
    changes = {
        "primary_color": primary,
        "accent_color": accent,
        "logo_url": logo,
        "assistant_name": name,
        "greeting": greeting,
        "suggestions": suggestion,
    }
    given = {k: v for k, v in changes.items() if v is not None}
    if given or reset:
        base = {} if reset or current is None else current.model_dump(mode="json", exclude_defaults=True)
        theme = parse_theme({**base, **given})
        current = repo.set_theme(tenant, None if theme == Theme() else theme).theme
    shown = {} if current is None else current.model_dump(mode="json", exclude_defaults=True)
    typer.echo(json.dumps({"tenant_id": tenant, "theme": shown}, indent=2, ensure_ascii=False))


@tenants_app.command("ask-url")
def tenant_ask_url(
    tenant: Annotated[str, typer.Option("--tenant", "-t")],
    url: Annotated[
        str | None,
        typer.Option(help="Your page that embeds the widget, with {q} for the question: https://…?q={q}"),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Back to this service's /ask page.")] = False,
) -> None:
    """Show or set where the tenant's digest links ("Ask about this") open their question.

    The page should embed the widget with `data-ask-param="q"` (the name of the parameter holding
    {q}), so the widget asks the question once the signed-in user lands there."""
    repo = TenantRepository(_db())
    if url is not None or clear:
        repo.set_ask_url(tenant, None if clear else url)
    current = repo.get(tenant).ask_url
    typer.echo(json.dumps({"tenant_id": tenant, "ask_url": current}, indent=2))


@keys_app.command("create")
def create_key(
    tenant: TenantOpt = None,
    role: Annotated[str, typer.Option(help="admin | analyst | viewer")] = "analyst",
    name: str = "",
) -> None:
    """Create an API key; the key is printed once and stored only as a hash."""
    tenant = resolve_tenant(tenant, get_settings())
    issued = KeyRepository(_db()).create(tenant, role, name)
    typer.echo(issued.token)


@keys_app.command("revoke")
def revoke_key(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (the part after mk_).")],
    tenant: TenantOpt = None,
) -> None:
    """Revoke a key by its prefix."""
    tenant = resolve_tenant(tenant, get_settings())
    KeyRepository(_db()).revoke(tenant, prefix)
    typer.echo(f"revoked {prefix}")
