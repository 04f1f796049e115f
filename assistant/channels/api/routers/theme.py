"""`GET/PUT /v1/tenant/theme`: the caller's own tenant's white-label widget theme (admin keys only).

There is no tenant in the path or body: the tenant is the admin key's, so one tenant's admin has
no way to even name another tenant's theme.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assistant.runtime.theme import Theme
from assistant.runtime.web.deps import Admin, Services

router = APIRouter(prefix="/v1", tags=["administration"])


def _theme_json(tenant_id: str, theme: Theme | None) -> dict[str, Any]:
    return {"tenant_id": tenant_id, "theme": (theme or Theme()).to_json(), "customized": theme is not None}


@router.get("/tenant/theme", summary="The widget theme of the caller's tenant")
def get_theme(caller: Admin, services: Services) -> dict[str, Any]:
    return _theme_json(caller.tenant_id, services.tenants.theme(caller.tenant_id))


@router.put("/tenant/theme", summary="Replace the widget theme of the caller's tenant")
def put_theme(body: Theme, caller: Admin, services: Services) -> dict[str, Any]:
    """A full replacement (PUT): fields left out fall back to the widget's defaults; `{}` resets."""
    stored = None if body == Theme() else body
    updated = services.tenants.set_theme(caller.tenant_id, stored)
    services.audit.record(
        caller.tenant_id,
        caller.credential,
        "tenant.theme",
        {"fields": sorted(body.model_dump(exclude_defaults=True))},
    )
    return _theme_json(caller.tenant_id, updated.theme)
