"""`--tenant` of every command: required for a multi-tenant project, optional for a single-tenant one.

A single-tenant project (`MERCURIOS_SINGLE_TENANT=true`) has exactly one tenant, so naming it adds
nothing; naming another one is a mistake worth saying, not a tenant to look up.
"""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.runtime.settings import Settings
from guardrails.errors import UserError

TENANT_HELP = "Tenant id (e.g. nordwind-fashion); leave it out for a single-tenant project."
TenantOpt = Annotated[str | None, typer.Option("--tenant", "-t", help=TENANT_HELP)]


def resolve_tenant(tenant: str | None, settings: Settings) -> str:
    """The tenant a command acts for: the one given, or the single tenant of a single-tenant project."""
    if settings.tenancy.single_tenant:
        if tenant is not None and tenant != settings.tenancy.single_tenant_id:
            raise UserError(
                f"this project is single-tenant: its one tenant is {settings.tenancy.single_tenant_id!r}; "
                f"leave --tenant out (got {tenant!r})",
                code="unknown_tenant",
            )
        return settings.tenancy.single_tenant_id
    if tenant is None:
        raise UserError(
            "--tenant is required: name the tenant to act for (or set MERCURIOS_SINGLE_TENANT=true "
            "for a single-company dbt project)",
            code="tenant_required",
        )
    return tenant
