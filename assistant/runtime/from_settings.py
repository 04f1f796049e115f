"""What core and the lower packages need, read from `Settings` here, so none of them imports it:
the retrieval configuration, and the tenant directory (a single-tenant project's one tenant, else
the warehouse's registry)."""

from __future__ import annotations

from assistant.core.tenants import (
    SingleTenantDirectory,
    TenantProfile,
    TenantRegistry,
    WarehouseTenantDirectory,
)
from assistant.runtime.settings import Settings
from guardrails.errors import ConfigError
from retrieval.config import RetrievalConfig
from semantic_layer.errors import SemanticProjectError
from semantic_layer.project_settings import check_profile_values, read_project_settings
from semantic_layer.protocols import Warehouse


def retrieval_config(settings: Settings) -> RetrievalConfig:
    """Retrieval may not import `Settings`: its group has `RetrievalConfig`'s fields; plus the data dir."""
    return RetrievalConfig(data_dir=settings.data_dir, **settings.retrieval.model_dump())


def single_tenant_profile(settings: Settings) -> TenantProfile:
    """Settings first (`MERCURIOS_TENANT_NAME`, `_CURRENCY`, `_TIMEZONE`, `_LOCALE`), then the dbt
    project's `vars.mercurios`, then the dbt project's name and the product defaults."""
    project = read_project_settings(settings.dbt_project_dir)
    try:
        given = check_profile_values(
            {
                "name": settings.tenancy.tenant_name,
                "currency": settings.tenancy.tenant_currency,
                "timezone": settings.tenancy.tenant_timezone,
                "locale": settings.tenancy.tenant_locale,
            },
            "the MERCURIOS_TENANT_* settings",
        )
    except SemanticProjectError as exc:
        raise ConfigError(str(exc)) from exc
    defaults = TenantProfile(tenant_id=settings.tenancy.single_tenant_id, name="")
    return TenantProfile(
        tenant_id=settings.tenancy.single_tenant_id,
        name=given["name"] or project.display_name,
        currency=given["currency"] or project.currency or defaults.currency,
        timezone=given["timezone"] or project.timezone or defaults.timezone,
        locale=given["locale"] or project.locale or defaults.locale,
    )


def tenant_directory(settings: Settings, warehouse: Warehouse) -> TenantRegistry:
    """The single tenant of a single-tenant project, else the warehouse's tenant registry."""
    if settings.tenancy.single_tenant:
        return SingleTenantDirectory(single_tenant_profile(settings))
    return WarehouseTenantDirectory(warehouse)
